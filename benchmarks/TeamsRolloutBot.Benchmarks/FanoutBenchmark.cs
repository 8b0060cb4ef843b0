using TeamsRolloutBot.Hosting;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Benchmarks;

/// <summary>
/// Fan-out: one member message to N people, through the real scheduler expansion, SQLite outbox and dispatcher,
/// against <see cref="FakeTeams"/> on loopback enforcing the tenant ceiling and the per-conversation limits.
/// </summary>
public static class FanoutBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var recipients = Option(args, "--recipients", 3380);
        // Teams' ceiling is 50/s; at that rate 100,000 messages take 35 minutes, so large runs use a raised ceiling
        // (still enforced by the fake) unless --rate says otherwise.
        var ceiling = Option(args, "--rate", recipients <= 10_000 ? 50 : 1000);
        var concurrency = Option(args, "--concurrency", Math.Max(16, ceiling / 25));
        var teams = await FakeTeams.StartAsync(ceiling);
        teams.KeepBodies = false;
        var folder = Path.Combine(Path.GetTempPath(), "trb-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development", ContentRootPath = folder });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bot:LocalPlayground"] = "true",
            ["Storage:SqlitePath"] = Path.Combine(folder, "rollout.db"),
            ["Rollout:WatchPlanFile"] = "false",
            ["Delivery:Enabled"] = "false",
            // 96% of the ceiling: arrival jitter on the connector's side must not push a one-second window over it.
            ["Delivery:TenantRatePerSecond"] = (ceiling * 0.96).ToString(CultureInfo.InvariantCulture),
            ["Delivery:MaxConcurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
            ["Delivery:DefaultServiceUrl"] = teams.ServiceUrl,
            ["Delivery:PollInterval"] = "00:00:00.050",
        });
        builder.Services.AddRolloutBot(builder.Configuration);
        using var host = builder.Build();
        var services = host.Services;

        var users = Enumerable.Range(0, recipients).Select(i => $"00000000-0000-4000-8000-{i:x12}").ToList();
        await SeedConversationsAsync(services.GetRequiredService<SqliteDatabase>(), users, teams.ServiceUrl);
        var send = new PlannedSend("bench/message/all/members", "bench", "message", "all", SendAudience.Members, DateTimeOffset.UtcNow, "enrollment", "Enrollment");
        services.GetRequiredService<DeliveryPlanSource>().Override = new DeliveryPlan("bench", [send],
            new Dictionary<string, DepartmentTarget> { ["all"] = new("all", "All", null, null, null, users) }, []);

        using var sampler = new PeakMemorySampler();
        var scheduler = services.GetRequiredService<DeliveryScheduler>();
        var dispatcher = services.GetRequiredService<DeliveryDispatcher>();
        var store = services.GetRequiredService<IDeliveryStore>();
        var clock = Stopwatch.StartNew();
        await scheduler.RunOnceAsync(CancellationToken.None);
        var expanded = clock.Elapsed;
        await dispatcher.StartAsync(CancellationToken.None);
        var timeout = TimeSpan.FromSeconds(recipients / (ceiling * 0.5) + 120);
        while (clock.Elapsed < timeout)
        {
            await Task.Delay(100);
            if (dispatcher.Finished >= recipients && await store.NextDueAsync(CancellationToken.None) is null)
            {
                break;
            }
        }
        var elapsed = clock.Elapsed - expanded;
        await dispatcher.StopAsync(CancellationToken.None);

        var lost = users.Count(u => teams.MessagesTo(u) == 0);
        var duplicates = users.Sum(u => Math.Max(0, teams.MessagesTo(u) - 1));
        var delivered = recipients - lost;
        var rate = delivered / elapsed.TotalSeconds;
        Console.WriteLine($"ceiling {ceiling}/s (fake connector), dispatcher at {ceiling * 0.96:0.#}/s with {concurrency} workers; expansion {expanded.TotalSeconds:0.0} s, sending {elapsed.TotalSeconds:0.0} s");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fanout: {recipients} recipients, {rate:0.0} msg/s, {rate / ceiling * 100:0.0}% of ceiling, 429s {teams.Throttled}, lost {lost}, duplicates {duplicates}, peak MB {sampler.PeakMegabytes:0}"));
        await teams.DisposeAsync();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A WAL file may still be open on some platforms; the temp folder is cleaned by the OS.
        }
        return lost == 0 && duplicates == 0 ? 0 : 1;
    }

    /// <summary>The people have the app installed and the bot knows their 1:1 chats (captured on install).</summary>
    private static async Task SeedConversationsAsync(SqliteDatabase database, IReadOnlyList<string> users, string serviceUrl)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var tx = connection.BeginTransaction();
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = """
            INSERT INTO conversations (conversation_id, channel_id, service_url, conversation_type, tenant_id, bot_id, user_id, user_aad_object_id, installed, updated_at)
            VALUES ($id, 'msteams', $url, 'personal', 'tenant', '28:bot', $user, $user, 1, '2026-01-01T00:00:00Z')
            """;
        var id = command.Parameters.Add("$id", Microsoft.Data.Sqlite.SqliteType.Text);
        var user = command.Parameters.Add("$user", Microsoft.Data.Sqlite.SqliteType.Text);
        command.Parameters.AddWithValue("$url", serviceUrl);
        foreach (var u in users)
        {
            id.Value = FakeTeams.PersonalId(u);
            user.Value = u;
            await command.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}

/// <summary>Samples the process working set every 50 ms and keeps the peak.</summary>
public sealed class PeakMemorySampler : IDisposable
{
    private readonly Timer _timer;
    private long _peak;

    public PeakMemorySampler() => _timer = new Timer(_ => Sample(), null, 0, 50);

    public double PeakMegabytes { get { Sample(); return Interlocked.Read(ref _peak) / (1024.0 * 1024.0); } }

    private void Sample()
    {
        using var process = Process.GetCurrentProcess();
        var current = process.WorkingSet64;
        long seen;
        while (current > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, current, seen) != seen)
        {
        }
    }

    public void Dispose() => _timer.Dispose();
}
