using System.Diagnostics;
using System.Text;

namespace TeamsRolloutBot.Tests.Infrastructure;

/// <summary>The built bot (TeamsRolloutBot.dll next to the tests) started as a child process, as an operator would run it.</summary>
public sealed class BotProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private BotProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (_output) { _output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (_output) { _output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output { get { lock (_output) { return _output.ToString(); } } }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public int Id => _process.Id;

    /// <summary>
    /// Starts the real bot with a production-like configuration (SingleTenant, a fresh SQLite file) changed by
    /// <paramref name="overrides"/>, expecting it to refuse to start; returns its exit code and output.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> StartExpectingRefusalAsync(Dictionary<string, string?> overrides)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["MicrosoftAppType"] = "SingleTenant",
            ["MicrosoftAppId"] = TestBot.AppId,
            ["MicrosoftAppPassword"] = "not-a-real-secret",
            ["MicrosoftAppTenantId"] = TestBot.TenantId,
            ["Storage__SqlitePath"] = Path.Combine(Path.GetTempPath(), "trb-tests", Guid.NewGuid().ToString("N"), "rollout.db"),
        };
        foreach (var (key, value) in overrides)
        {
            environment[key] = value;
        }
        using var bot = Start(environment);
        Assert.True(await bot.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the bot started although its configuration is invalid");
        return (bot.ExitCode, bot.Output);
    }

    /// <summary>Starts the bot with exactly these settings as environment variables (and a clean environment otherwise).</summary>
    public static BotProcess Start(IDictionary<string, string?> environment, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "TeamsRolloutBot.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("Bot__", StringComparison.Ordinal) || k.StartsWith("Microsoft", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }
        info.Environment["Telemetry__Exporter"] = "none";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        return new BotProcess(Process.Start(info)!);
    }

    /// <summary>Waits for the process to end (bounded); false when it is still running.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Ends the process at once, like <c>kill -9</c>.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
