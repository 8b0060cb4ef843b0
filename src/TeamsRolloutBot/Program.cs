if (TeamsRolloutBot.Plan.PlanCli.TryRun(args, Console.Out, Console.Error) is int code)
{
    return code;
}

var builder = WebApplication.CreateBuilder(args);

var app = builder.Build();
app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
app.Run();
return 0;
