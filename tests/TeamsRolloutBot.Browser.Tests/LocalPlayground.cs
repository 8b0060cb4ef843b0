using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace TeamsRolloutBot.Browser.Tests;

/// <summary>
/// The real bot (its built dll, Development, Bot:LocalPlayground=true) and the real Microsoft 365 Agents Playground
/// (tools/playground, pinned by package-lock.json), both as child processes on free loopback ports, as
/// scripts/start-local.sh runs them. Each instance has its own database and Playground state.
/// </summary>
public sealed partial class LocalPlayground : IAsyncDisposable
{
    private static readonly TimeSpan BotStartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PlaygroundStartTimeout = TimeSpan.FromSeconds(45);

    private readonly ChildProcess _bot;
    private readonly ChildProcess _playground;
    private readonly string _workDirectory;

    private LocalPlayground(ChildProcess bot, ChildProcess playground, string workDirectory, int botPort, int playgroundPort)
    {
        _bot = bot;
        _playground = playground;
        _workDirectory = workDirectory;
        BotPort = botPort;
        PlaygroundPort = playgroundPort;
    }

    public int BotPort { get; }
    public int PlaygroundPort { get; }

    /// <summary>The Playground web UI.</summary>
    public Uri Url => new($"http://127.0.0.1:{PlaygroundPort}/");

    /// <summary>The serviceUrl the Playground puts in every activity (and the bot posts its replies to).</summary>
    public string ServiceUrl => $"http://localhost:{PlaygroundPort}/_connector";

    public string BotOutput => _bot.Output;
    public string PlaygroundLog => File.Exists(PlaygroundLogPath) ? File.ReadAllText(PlaygroundLogPath) : _playground.Output;
    private string PlaygroundLogPath => Path.Combine(_workDirectory, "playground.log");

    /// <summary>
    /// Why the local Playground cannot run here (for a clear failure), or null. Node and the npm package are
    /// prerequisites of the repository (README command 1 installs them), not optional extras.
    /// </summary>
    public static string? MissingPrerequisite()
    {
        if (!File.Exists(Repository.PlaygroundCli))
        {
            return $"The Agents Playground is not installed ({Repository.PlaygroundCli} is missing): run `npm ci --prefix tools/playground` in the repository root.";
        }
        if (Repository.BotDll is null)
        {
            return "The bot is not built: run `dotnet build src/TeamsRolloutBot`.";
        }
        return null;
    }

    /// <summary>The bot's SQLite file (what it stored: answers, confirmations, sends).</summary>
    public string DatabasePath => Path.Combine(_workDirectory, "bot.db");

    /// <summary>
    /// Starts the bot, waits for /healthz, then starts the Playground as <paramref name="identity"/> (lead or member).
    /// <paramref name="botEnvironment"/> adds configuration to the bot process (for example <c>Commands__ConfirmAbove</c>).
    /// </summary>
    public static async Task<LocalPlayground> StartAsync(string identity, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? botEnvironment = null)
    {
        var workDirectory = Directory.CreateTempSubdirectory("playground-test-").FullName;
        var botPort = FreeLoopbackPort();
        var botStart = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Repository.BotDll! },
            WorkingDirectory = Path.Combine(Repository.Root, "src", "TeamsRolloutBot"),
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{botPort}",
                ["Bot__LocalPlayground"] = "true",
                ["Rollout__PlanPath"] = Path.Combine(Repository.Root, "samples", "intune-rollout.yaml"),
                ["Storage__SqlitePath"] = Path.Combine(workDirectory, "bot.db"),
                ["Telemetry__Exporter"] = "none",
            },
        };
        foreach (var (key, value) in botEnvironment ?? new Dictionary<string, string>())
        {
            botStart.Environment[key] = value;
        }
        var bot = ChildProcess.Start(botStart);
        ChildProcess? playground = null;
        try
        {
            await WaitForHealthyAsync(bot, botPort, cancellationToken);

            var requestedPort = FreeLoopbackPort();
            playground = ChildProcess.Start(new ProcessStartInfo("node")
            {
                ArgumentList =
                {
                    "--require", "./loopback.cjs", Repository.PlaygroundCli, "start",
                    "--app-endpoint", $"http://127.0.0.1:{botPort}/api/messages",
                    "--channel-id", "msteams",
                    "--port", requestedPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--disable-telemetry",
                },
                WorkingDirectory = Repository.PlaygroundDirectory,
                Environment =
                {
                    ["TEAMSAPPTESTER_BROWSER"] = "none",
                    ["M365_AGENTS_PLAYGROUND_CONFIG_PATH"] = Path.Combine(Repository.PlaygroundDirectory, identity + ".yml"),
                    ["M365_AGENTS_PLAYGROUND_LOGFILE"] = Path.Combine(workDirectory, "playground.log"),
                },
            });
            // Not a TTY, so the Playground prints only this line; it picks another port when the requested one is taken.
            var line = await playground.WaitForLineAsync(ListeningLine(), PlaygroundStartTimeout, cancellationToken);
            var port = int.Parse(ListeningLine().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return new LocalPlayground(bot, playground, workDirectory, botPort, port);
        }
        catch
        {
            if (playground is not null)
            {
                await playground.DisposeAsync();
            }
            await bot.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Sends an activity through the Playground's "Mock an Activity → Custom activity" endpoint: the Playground
    /// forwards it to the bot, and the bot's reply shows in the Playground UI. Used for what the chat box cannot
    /// express, such as a Dutch client locale.
    /// </summary>
    public async Task SendCustomActivityAsync(string activityJson, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        using var content = new StringContent(activityJson, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(Url, "/_internal/v1/customActivities"), content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        await _playground.DisposeAsync();
        await _bot.DisposeAsync();
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by an exiting process: the temp folder is cleaned up by the OS later.
        }
    }

    private static async Task WaitForHealthyAsync(ChildProcess bot, int port, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < BotStartTimeout)
        {
            if (bot.HasExited)
            {
                throw new InvalidOperationException($"The bot exited during start-up (code {bot.ExitCode}):\n{bot.Output}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            await Task.Delay(250, cancellationToken);
        }
        throw new TimeoutException($"The bot did not answer /healthz within {BotStartTimeout.TotalSeconds} s:\n{bot.Output}");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^Listening on (\d+)")]
    private static partial Regex ListeningLine();
}

/// <summary>Paths in the repository this test assembly was built from.</summary>
internal static class Repository
{
    public static readonly string Root = FindRoot();
    public static string PlaygroundDirectory => Path.Combine(Root, "tools", "playground");
    public static string PlaygroundCli => Path.Combine(PlaygroundDirectory, "node_modules", "@microsoft", "m365agentsplayground", "cli.js");

    /// <summary>The bot as built by this test run (same configuration), else the copy next to the tests.</summary>
    public static string? BotDll
    {
        get
        {
            // .../tests/TeamsRolloutBot.Browser.Tests/bin/<Configuration>/<tfm>/
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = output.Parent?.Name ?? "Debug";
            var built = Path.Combine(Root, "src", "TeamsRolloutBot", "bin", configuration, output.Name, "TeamsRolloutBot.dll");
            var copied = Path.Combine(AppContext.BaseDirectory, "TeamsRolloutBot.dll");
            return File.Exists(built) ? built : File.Exists(copied) ? copied : null;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TeamsRolloutBot.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No TeamsRolloutBot.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>A child process whose output is kept for diagnostics and which is killed (whole tree) on dispose.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private readonly List<(Regex Pattern, TaskCompletionSource<string> Found)> _waiters = [];

    private ChildProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get { lock (_gate) { return _output.ToString(); } }
    }

    public static ChildProcess Start(ProcessStartInfo startInfo)
    {
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException($"Could not start '{startInfo.FileName}' ({e.Message}); is it installed and on PATH?", e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public async Task<string> WaitForLineAsync(Regex pattern, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var existing = _output.ToString().Split('\n').FirstOrDefault(l => pattern.IsMatch(l));
            if (existing is not null)
            {
                return existing;
            }
            _waiters.Add((pattern, found));
        }
        var exited = _process.WaitForExitAsync(cancellationToken);
        var winner = await Task.WhenAny(found.Task, exited, Task.Delay(timeout, cancellationToken));
        if (winner == found.Task)
        {
            return await found.Task;
        }
        throw new TimeoutException(_process.HasExited
            ? $"'{_process.StartInfo.FileName}' exited (code {_process.ExitCode}) before printing /{pattern}/:\n{Output}"
            : $"'{_process.StartInfo.FileName}' did not print /{pattern}/ within {timeout.TotalSeconds} s:\n{Output}");
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            _output.AppendLine(line);
            foreach (var waiter in _waiters.Where(w => w.Pattern.IsMatch(line)).ToList())
            {
                waiter.Found.TrySetResult(line);
                _waiters.Remove(waiter);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (OperationCanceledException)
        {
        }
        _process.Dispose();
    }
}
