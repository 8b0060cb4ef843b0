using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TeamsRolloutBot.Fakes;

namespace TeamsRolloutBot.Benchmarks;

/// <summary>
/// The fan-out benchmark's fakes (<see cref="FakeTeams"/> with Teams' limits and, for a first contact,
/// <see cref="FakeGraph"/> with Graph's install limit) in a process of their own, so the bot's peak memory is measured
/// without them, as the connector is another machine in production. It prints one line with the fakes' URLs, answers
/// <c>/progress</c> and <c>/summary</c> on a control port, and stops when its standard input closes.
/// </summary>
public static class FakesProcess
{
    private static readonly string[] Options = ["--rate", "--recipients", "--without-app", "--graph-limit"];
    private static readonly string[] Flags = ["--first-contact"];

    public static async Task<int> RunAsync(string[] arguments)
    {
        if (BenchmarkArgs.Parse(arguments, Options, Flags, out var error) is not { } args)
        {
            await Console.Error.WriteLineAsync("fakes: " + error);
            return 2;
        }
        var recipients = args.Number("--recipients", 0);
        var withoutApp = args.Number("--without-app", 0);
        await using var teams = await FakeTeams.StartAsync(args.Number("--rate", 50));
        teams.Record = false;
        await using var graph = args.Has("--first-contact") ? await FakeGraph.StartAsync() : null;
        if (graph is not null)
        {
            graph.Record = false;
            graph.TeamsApps.Teams = teams;
            graph.TeamsApps.Limit = new RateWindow(args.Number("--graph-limit", 30), TimeSpan.FromSeconds(1));
            teams.RequireInstall = true;
            // Spread evenly: withoutApp of every hundred people lack the app.
            for (var i = 0; i < recipients; i++)
            {
                if (withoutApp == 0 || (i * withoutApp) % 100 >= withoutApp)
                {
                    teams.Installed.TryAdd(BenchUsers.Id(i), true);
                }
            }
        }
        await using var control = await ControlServer.StartAsync(teams, graph, recipients);
        Console.WriteLine($"fakes teams={teams.Url} graph={graph?.BaseUrl ?? "-"} control={control.Url}");
        await Console.In.ReadToEndAsync();
        return 0;
    }

    private sealed class ControlServer : LoopbackServer
    {
        public static async Task<ControlServer> StartAsync(FakeTeams teams, FakeGraph? graph, int recipients)
        {
            var server = new ControlServer();
            await server.StartAsync(app =>
            {
                app.MapGet("/progress", () => Results.Json(new JsonObject { ["accepted"] = teams.Accepted, ["throttled"] = teams.Throttled }));
                app.MapGet("/summary", () =>
                {
                    var counts = Enumerable.Range(0, recipients).Select(i => teams.MessagesTo(BenchUsers.Id(i))).ToList();
                    return Results.Json(new JsonObject
                    {
                        ["accepted"] = teams.Accepted,
                        ["throttled"] = teams.Throttled,
                        ["lost"] = counts.Count(c => c == 0),
                        ["duplicates"] = counts.Sum(c => Math.Max(0, c - 1)),
                        ["installs"] = graph?.TeamsApps.Installs.Count ?? 0,
                        ["graphThrottled"] = graph?.TeamsApps.Throttled ?? 0,
                    });
                });
            });
            return server;
        }
    }
}
