using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Benchmarks;

/// <summary>The parent's handle on <see cref="FakesProcess"/>: starts it (this benchmark again, in mode <c>fakes</c>), reads its URLs and asks it for figures.</summary>
public sealed class RemoteFakes : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _control;

    private RemoteFakes(Process process, string teams, string? graph, string control)
    {
        _process = process;
        TeamsUrl = teams;
        GraphBaseUrl = graph;
        _control = new HttpClient { BaseAddress = new Uri(control) };
    }

    public string TeamsUrl { get; }

    /// <summary>The serviceUrl to give the bot (with Teams' trailing path, as <c>FakeTeams.ServiceUrl</c>).</summary>
    public string ServiceUrl => TeamsUrl + "/teams/";

    public string? GraphBaseUrl { get; }

    public int ProcessId => _process.Id;

    public static async Task<RemoteFakes> StartAsync(IEnumerable<string> arguments)
    {
        var start = SelfProcess.StartInfo(["fakes", .. arguments]);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException("the fakes' process did not start");
        var line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the fakes' process ended before it started its fakes");
        var parts = line.Split(' ').Skip(1).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        return new RemoteFakes(process, parts["teams"], parts["graph"] == "-" ? null : parts["graph"], parts["control"]);
    }

    /// <summary>Calls the fake connector accepted and answered 429 so far.</summary>
    public async Task<(long Accepted, long Throttled)> ProgressAsync()
    {
        var json = await _control.GetFromJsonAsync<JsonObject>("/progress") ?? [];
        return ((long)json["accepted"]!, (long)json["throttled"]!);
    }

    /// <summary>The end figures: calls, people without a message and messages beyond one per person, Graph installs.</summary>
    public async Task<JsonObject> SummaryAsync() => await _control.GetFromJsonAsync<JsonObject>("/summary") ?? [];

    public async ValueTask DisposeAsync()
    {
        _control.Dispose();
        _process.StandardInput.Close();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
