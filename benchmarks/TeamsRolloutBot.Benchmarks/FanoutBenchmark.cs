using TeamsRolloutBot.Hosting;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Benchmarks;

/// <summary>
/// Fan-out: one member message to N people, through the real scheduler expansion, outbox and dispatcher, against
/// <see cref="FakeTeams"/> on loopback enforcing the tenant ceiling and the per-conversation limits. With
/// <c>--instances N</c> (or <c>--storage azure</c>) N bot hosts in this process share one Azurite account
/// (<c>Storage:Provider=AzureStorage</c>) and one fake connector, as N instances of the bot would share a storage
/// account and the tenant's limit.
/// </summary>
public static class FanoutBenchmark
{
    private static readonly string[] Options = ["--recipients", "--rate", "--concurrency", "--instances", "--storage", "--without-app"];
    private static readonly string[] Flags = ["--unshared-pacing", "--verbose", "--first-contact"];

    public static async Task<int> RunAsync(string[] arguments)
    {
        if (BenchmarkArgs.Parse(arguments, Options, Flags, out var error) is not { } args)
        {
            Console.Error.WriteLine("fanout: " + error);
            return 2;
        }
        var recipients = args.Number("--recipients", 3380);
        // Teams' ceiling is 50/s; at that rate 100,000 messages take 35 minutes, so large runs use a raised ceiling
        // (still enforced by the fake) unless --rate says otherwise.
        var ceiling = args.Number("--rate", recipients <= 10_000 ? 50 : 1000);
        var concurrency = args.Number("--concurrency", Math.Max(16, ceiling / 25));
        var instances = args.Number("--instances", 1);
        var storage = args.Text("--storage") ?? (instances > 1 ? "azure" : "sqlite");
        if (instances < 1 || storage is not ("azure" or "sqlite") || (instances > 1 && storage == "sqlite"))
        {
            Console.Error.WriteLine("--instances must be 1 or more; --storage is 'sqlite' (one instance) or 'azure' (Azurite, any number of instances).");
            return 2;
        }
        // First contact: nobody has a 1:1 chat with the bot yet (create the conversation, then send), and a share of
        // the people lack the app (the create fails, the bot installs it through Graph, then creates and sends).
        var firstContact = args.Has("--first-contact");
        var withoutApp = args.Number("--without-app", firstContact ? 20 : 0);
        if (withoutApp is < 0 or > 100 || (withoutApp > 0 && !firstContact))
        {
            Console.Error.WriteLine("--without-app is a percentage (0-100) of the recipients, with --first-contact.");
            return 2;
        }
        var azure = storage == "azure";
        await using var azurite = azure ? await AzuriteEmulator.StartAsync() : null;
        // Graph's limit for app installs (Teams service, other calls: 30/s per app per tenant), raised in proportion
        // with the connector's ceiling so a raised run keeps the real ratio between the two.
        var graphLimit = Math.Max(1, 30 * ceiling / 50);
        string[] fakeArgs = firstContact
            ? ["--rate", Text(ceiling), "--recipients", Text(recipients), "--first-contact", "--without-app", Text(withoutApp), "--graph-limit", Text(graphLimit)]
            : ["--rate", Text(ceiling), "--recipients", Text(recipients)];
        await using var fakes = await RemoteFakes.StartAsync(fakeArgs);
        var root = Path.Combine(Path.GetTempPath(), "trb-bench", Guid.NewGuid().ToString("N"));
        var tablePrefix = "bench" + Guid.NewGuid().ToString("N")[..8];
        var hosts = new List<IHost>();
        for (var i = 0; i < instances; i++)
        {
            hosts.Add(BuildHost(Path.Combine(root, $"instance-{i}"), fakes.ServiceUrl, ceiling, concurrency, azure ? (azurite!.ConnectionString, tablePrefix) : null,
                unshared: args.Has("--unshared-pacing"), fakes.GraphBaseUrl));
        }
        // Starts what each instance runs at start-up (for AzureStorage: creating its tables and queues); the
        // scheduler and dispatcher are off (Delivery:Enabled=false) and driven below.
        foreach (var host in hosts)
        {
            await host.StartAsync();
        }
        var first = hosts[0].Services;

        var users = Enumerable.Range(0, recipients).Select(BenchUsers.Id).ToList();
        if (firstContact)
        {
            // Nobody has a chat with the bot yet; the fakes' process knows who has the app.
        }
        else if (azure)
        {
            await SaveConversationsAsync(first.GetRequiredService<IDeliveryStore>(), users, fakes.ServiceUrl);
        }
        else
        {
            await SeedConversationsAsync(first.GetRequiredService<SqliteDatabase>(), users, fakes.ServiceUrl);
        }
        // The sample plan's enrollment message to the members 1:1: the card people get, rendered per recipient.
        var samplePlan = first.GetRequiredService<PlanProvider>().Current ?? throw new InvalidOperationException("the sample plan did not load");
        var enrollment = DeliveryPlanSource.Convert(samplePlan, 1, null).Sends.First(s => s.MessageId == "enrollment" && s.Audience == SendAudience.Members);
        var send = enrollment with { DueUtc = DateTimeOffset.UtcNow };
        var department = new DepartmentTarget(send.DepartmentId, "Bench", null, null, null, users);
        var plan = new DeliveryPlan("bench", [send], new Dictionary<string, DepartmentTarget> { [send.DepartmentId] = department }, []);
        foreach (var host in hosts)
        {
            host.Services.GetRequiredService<DeliveryPlanSource>().Override = plan;
        }

        using var sampler = new PeakMemorySampler(Environment.ProcessId);
        using var fakesSampler = new PeakMemorySampler(fakes.ProcessId);
        using var azuriteSampler = azurite is null ? null : new PeakMemorySampler(azurite.Process.Id);
        var dispatchers = hosts.Select(h => h.Services.GetRequiredService<DeliveryDispatcher>()).ToList();
        var store = first.GetRequiredService<IDeliveryStore>();
        var clock = Stopwatch.StartNew();
        await first.GetRequiredService<DeliveryScheduler>().RunOnceAsync(CancellationToken.None);
        var expanded = clock.Elapsed;
        await Task.WhenAll(dispatchers.Select(d => d.StartAsync(CancellationToken.None)));
        var callsPerRecipient = firstContact ? 2 + withoutApp / 100.0 : 1;
        var timeout = TimeSpan.FromSeconds(recipients * callsPerRecipient / (ceiling * 0.5) + 120);
        var verbose = args.Has("--verbose");
        var pacers = hosts.Select(h => h.Services.GetRequiredService<TenantPacer>()).ToList();
        var (lastAccepted, lastThrottled, lastReport) = (0L, 0L, clock.Elapsed);
        TimeSpan? firstSent = null;
        while (clock.Elapsed < timeout)
        {
            await Task.Delay(100);
            var (accepted, throttled) = await fakes.ProgressAsync();
            if (firstSent is null && accepted > 0)
            {
                firstSent = clock.Elapsed;
            }
            if (verbose && clock.Elapsed - lastReport >= TimeSpan.FromSeconds(1))
            {
                // One line a second: calls the fake accepted and throttled, and each instance's pacing share.
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  t={clock.Elapsed.TotalSeconds,5:0.0}s accepted {accepted - lastAccepted,3} 429s {throttled - lastThrottled,2} rates {string.Join('/', pacers.Select(p => p.RatePerSecond.ToString("0.#", CultureInfo.InvariantCulture)))}"));
                (lastAccepted, lastThrottled, lastReport) = (accepted, throttled, clock.Elapsed);
            }
            if (dispatchers.Sum(d => d.Finished) >= recipients && await store.NextDueAsync(CancellationToken.None) is null)
            {
                break;
            }
        }
        var elapsed = clock.Elapsed - expanded;
        await Task.WhenAll(dispatchers.Select(d => d.StopAsync(CancellationToken.None)));

        var summary = await fakes.SummaryAsync();
        var lost = (int)summary["lost"]!;
        var duplicates = (int)summary["duplicates"]!;
        var delivered = recipients - lost;
        var rate = delivered / elapsed.TotalSeconds;
        var calls = (long)summary["accepted"]! / elapsed.TotalSeconds;
        var shares = string.Join('/', dispatchers.Select(d => d.Delivered));
        // A joining instance that finds others holds its sends for one heartbeat (docs/operations.md, section 12); the
        // rate from the first message on shows the steady state without that start-up wait.
        var steady = delivered / (clock.Elapsed - (firstSent ?? expanded)).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ceiling {ceiling}/s (fake connector), Delivery:TenantRatePerSecond {ceiling * 0.96:0.#} shared by {instances} instance(s) with {concurrency} workers each; expansion {expanded.TotalSeconds:0.0} s, sending {elapsed.TotalSeconds:0.0} s, first message after {((firstSent ?? expanded) - expanded).TotalSeconds:0.0} s, {steady:0.0} msg/s from the first message on"));
        var contactText = firstContact
            ? string.Create(CultureInfo.InvariantCulture, $"first contact ({withoutApp}% without the app: {(int)summary["installs"]!} Graph installs at most {graphLimit}/s, {(long)summary["graphThrottled"]!} Graph 429s), ")
            : "";
        var instanceText = azure ? $"{instances} instance{(instances == 1 ? "" : "s")} on AzureStorage (Azurite), delivered per instance {shares}, " : "";
        var azuriteText = azuriteSampler is null ? "" : string.Create(CultureInfo.InvariantCulture, $", Azurite peak MB {azuriteSampler.PeakMegabytes:0}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fanout: {recipients} recipients, {contactText}{instanceText}{rate:0.0} msg/s, {calls:0.0} calls/s, {calls / ceiling * 100:0.0}% of ceiling, 429s {(long)summary["throttled"]!}, lost {lost}, duplicates {duplicates}, peak MB {sampler.PeakMegabytes:0}, fakes' process peak MB {fakesSampler.PeakMegabytes:0}{azuriteText}"));
        foreach (var host in hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A WAL file may still be open on some platforms; the temp folder is cleaned by the OS.
        }
        return lost == 0 && duplicates == 0 ? 0 : 1;
    }

    /// <summary>One bot instance: its own folder (SQLite file) and, with <paramref name="azure"/>, the shared storage account.</summary>
    private static IHost BuildHost(string folder, string serviceUrl, int ceiling, int concurrency, (string ConnectionString, string Prefix)? azure, bool unshared, string? graph)
    {
        Directory.CreateDirectory(folder);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development", ContentRootPath = folder });
        builder.Logging.ClearProviders();
        var settings = new Dictionary<string, string?>
        {
            ["Bot:LocalPlayground"] = "true",
            ["Storage:SqlitePath"] = Path.Combine(folder, "rollout.db"),
            ["Rollout:WatchPlanFile"] = "false",
            ["Delivery:Enabled"] = "false",
            // 96% of the ceiling: arrival jitter on the connector's side must not push a one-second window over it.
            // With several instances each takes its share of this (the instance registry in the storage account).
            ["Delivery:TenantRatePerSecond"] = (ceiling * 0.96).ToString(CultureInfo.InvariantCulture),
            ["Delivery:MaxConcurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
            ["Delivery:DefaultServiceUrl"] = serviceUrl,
            ["Delivery:PollInterval"] = "00:00:00.050",
            ["Rollout:PlanPath"] = SamplePlanPath(),
        };
        if (graph is not null)
        {
            // Graph on (installs); the fixed token stands in for Entra, which local mode does not have.
            settings["Graph:Enabled"] = "true";
            settings["Graph:BaseUrl"] = graph;
            settings["Graph:TeamsAppCatalogId"] = "bench-app";
        }
        if (azure is { } account)
        {
            settings["Storage:Provider"] = "AzureStorage";
            settings["Storage:AzureConnectionString"] = account.ConnectionString;
            settings["Storage:TablePrefix"] = account.Prefix;
            settings["Storage:ImportFromSqlite"] = "false";
        }
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddRolloutBot(builder.Configuration);
        builder.Services.Replace(ServiceDescriptor.Singleton<Azure.Core.TokenCredential>(new FixedTokenCredential()));
        if (unshared)
        {
            // For comparison only: without the instance registry every instance paces at the whole tenant rate.
            builder.Services.RemoveAll<IInstanceRegistry>();
        }
        return builder.Build();
    }

    /// <summary>The people's 1:1 chats, saved through the store as the bot saves them when it learns them from Teams.</summary>
    private static async Task SaveConversationsAsync(IDeliveryStore store, IReadOnlyList<string> users, string serviceUrl) =>
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (user, ct) =>
            await store.SaveConversationAsync(new ConversationReference("msteams", serviceUrl, FakeTeams.PersonalId(user), "personal", "tenant", "28:bot",
                user, user, null, null, null, null), ct));

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

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The repository's sample plan (the benchmark sends its enrollment card).</summary>
    internal static string SamplePlanPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "samples", "intune-rollout.yaml");
            if (File.Exists(path) && File.Exists(Path.Combine(dir.FullName, "TeamsRolloutBot.sln")))
            {
                return path;
            }
        }
        throw new InvalidOperationException("run the benchmark from the repository (samples/intune-rollout.yaml not found above " + AppContext.BaseDirectory + ")");
    }
}
