using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Hosting;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;

// Command-line modes (plan validate|show, cards render) run and exit without starting the web host.
if ((PlanCli.TryRun(args, CardMessageRules.Instance, Console.Out, Console.Error) ?? CardsCli.TryRun(args, Console.Out, Console.Error)) is int exitCode)
{
    return exitCode;
}

try
{
    var builder = WebApplication.CreateBuilder(args);

    builder.UseBotUrls();
    builder.AddBotTelemetry();
    builder.Services.AddProblemDetails();
    builder.Services.AddRolloutBot(builder.Configuration);

    var app = builder.Build();
    // Options errors surface here as a short message, before the host would log them with a stack trace.
    app.Services.GetRequiredService<IStartupValidator>().Validate();

    app.UseExceptionHandler();
    app.UseStatusCodePages();

    app.MapBotMessages();
    app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
    app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = ReadinessResponse.WriteAsync });

    app.Run();
    return 0;
}
catch (Exception ex) when (StartupErrors.IsConfigurationError(ex))
{
    return StartupErrors.Report(ex, Console.Error);
}
