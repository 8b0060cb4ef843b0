using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TeamsRolloutBot.Fakes;

/// <summary>
/// Azurite (npm <c>azurite</c>, pinned in tools/azurite) as a child process on free loopback ports, in memory.
/// <see cref="ConnectionString"/> uses the emulator's well-known account with explicit endpoints. Shared by the
/// storage tests and the fan-out benchmark.
/// </summary>
public sealed partial class AzuriteEmulator : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Dictionary<string, int> _ports = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder _output = new();
    private Process? _process;

    private AzuriteEmulator()
    {
    }

    /// <summary>The connection string of the running emulator.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The emulator's process (for its memory use).</summary>
    public Process Process => _process ?? throw new InvalidOperationException("Azurite is not running.");

    /// <summary>Starts Azurite and waits until its blob, queue and table services listen.</summary>
    public static async Task<AzuriteEmulator> StartAsync()
    {
        var emulator = new AzuriteEmulator();
        try
        {
            await emulator.StartProcessAsync();
            return emulator;
        }
        catch
        {
            await emulator.DisposeAsync();
            throw;
        }
    }

    private async Task StartProcessAsync()
    {
        var script = Path.Combine(FindRepositoryRoot(), "tools", "azurite", "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed ({script} is missing). Run: npm ci --prefix tools/azurite");
        }
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in new[]
        {
            script, "--inMemoryPersistence", "--skipApiVersionCheck", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", "0", "--queueHost", "127.0.0.1", "--queuePort", "0",
            "--tableHost", "127.0.0.1", "--tablePort", "0",
        })
        {
            start.ArgumentList.Add(argument);
        }
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException("Azurite exited: " + _output));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await _ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        string Endpoint(string service) => $"http://127.0.0.1:{_ports[service]}/devstoreaccount1";
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
            $"BlobEndpoint={Endpoint("Blob")};QueueEndpoint={Endpoint("Queue")};TableEndpoint={Endpoint("Table")};";
    }

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        _process = null;
        return ValueTask.CompletedTask;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
            if (Listening().Match(line) is { Success: true } match)
            {
                _ports[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
                if (_ports.Count == 3)
                {
                    _ready.TrySetResult();
                }
            }
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "tools", "azurite")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("tools/azurite not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"Azurite (Blob|Queue|Table) service is successfully listening at http://127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();
}
