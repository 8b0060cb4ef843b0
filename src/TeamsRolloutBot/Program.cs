using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using TeamsRolloutBot.Hosting;
using TeamsRolloutBot.Protocol;

var builder = WebApplication.CreateBuilder(args);

builder.UseBotUrls();
builder.AddBotTelemetry();
builder.Services.AddProblemDetails();
builder.Services.AddBotStorage(builder.Configuration);
builder.Services.AddBotProtocol(builder.Configuration);

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapBotMessages();
app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });

app.Run();
