using System.Globalization;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Tests.Delivery;
using TeamsRolloutBot.Tests.Infrastructure;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>
/// Two real bot processes on one storage account (Azurite) with <c>Storage:Provider=AzureStorage</c>, each with its own
/// SQLite file, sending one wave to the fake Teams connector: the wave is expanded once, every member gets the message
/// once, and when one instance is killed with SIGKILL the other finishes the wave.
/// </summary>
public sealed partial class ScaleOutTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const int Members = 1500;
    private const int MaxConcurrency = 8;

    [Fact]
    public async Task Two_instances_expand_the_wave_once_and_every_member_gets_the_message_once()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var teams = await FakeTeams.StartAsync(tenantLimit: 1000);
        var (users, prefix, first, second) = Setup(teams, TimeSpan.FromSeconds(30));
        using var a = BotProcess.Start(first);
        using var b = BotProcess.Start(second);

        // Generous bounds: on a loaded machine two bot processes and Azurite share the cores; the assertions below do not change.
        await WaitForAsync(() => Delivered(teams, users) >= Members, TimeSpan.FromSeconds(300), ct);
        // Let anything still queued or retried show up before counting.
        await Task.Delay(3000, ct);
        Assert.False(a.HasExited, a.Output);
        Assert.False(b.HasExited, b.Output);

        var lost = users.Count(u => teams.MessagesTo(u) == 0);
        var duplicates = users.Sum(u => Math.Max(0, teams.MessagesTo(u) - 1));
        Assert.True(lost == 0 && duplicates == 0, $"lost {lost}, duplicates {duplicates}\n--- A ---\n{a.Output}\n--- B ---\n{b.Output}");
        // The leader alone expanded the send: one expansion in the two logs, one job per member in the outbox.
        Assert.Equal(1, Expansions(a.Output) + Expansions(b.Output));
        Assert.Equal(Members, await JobCountAsync(prefix, ct));
        Assert.Equal(1, Leaders(a.Output) + Leaders(b.Output));
    }

    [Fact]
    public async Task When_one_of_two_instances_is_killed_mid_wave_the_other_finishes_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var teams = await FakeTeams.StartAsync(tenantLimit: 1000);
        var (users, prefix, first, second) = Setup(teams, TimeSpan.FromSeconds(10));
        using var a = BotProcess.Start(first);
        using var b = BotProcess.Start(second);

        await WaitForAsync(() => Delivered(teams, users) >= Members / 4, TimeSpan.FromSeconds(240), ct);
        await WaitForAsync(() => Leaders(a.Output) + Leaders(b.Output) > 0, TimeSpan.FromSeconds(10), ct);
        Assert.False(a.HasExited, a.Output);
        Assert.False(b.HasExited, b.Output);
        // Kill the leader, so the survivor must also take over the leadership (it expanded the wave before it died).
        var victim = Leaders(a.Output) > 0 ? a : b;
        var survivor = ReferenceEquals(victim, a) ? b : a;
        victim.Kill();
        var atKill = Delivered(teams, users);
        Assert.InRange(atKill, Members / 4, Members - 1);

        // The killed instance's leased messages show up again after their visibility (Delivery:LeaseDuration) runs out.
        await WaitForAsync(() => Delivered(teams, users) >= Members, TimeSpan.FromSeconds(300), ct);
        await WaitForAsync(() => Leaders(survivor.Output) > 0, TimeSpan.FromSeconds(60), ct);
        await Task.Delay(3000, ct);

        var lost = users.Count(u => teams.MessagesTo(u) == 0);
        var duplicates = users.Sum(u => Math.Max(0, teams.MessagesTo(u) - 1));
        Assert.True(lost == 0, $"lost {lost} (delivered {Delivered(teams, users)} of {Members}, {atKill} at the kill)\n"
            + await UndeliveredAsync(prefix, users.Where(u => teams.MessagesTo(u) == 0), ct) + "\n" + survivor.Output);
        // At most the sends the killed instance had in flight go out twice.
        Assert.InRange(duplicates, 0, MaxConcurrency);
        Assert.Equal(Members, await JobCountAsync(prefix, ct));
        Assert.Equal(1, Expansions(a.Output) + Expansions(b.Output));
        Assert.Equal(1, Leaders(survivor.Output));
    }

    /// <summary>Two instances' settings; <paramref name="lease"/> is Delivery:LeaseDuration (a send slower than that may go out twice).</summary>
    private (List<string> Users, string Prefix, Dictionary<string, string?> First, Dictionary<string, string?> Second) Setup(FakeTeams teams, TimeSpan lease)
    {
        var folder = Path.Combine(Path.GetTempPath(), "trb-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var users = Enumerable.Range(1, Members).Select(i => $"00000000-0000-4000-8000-{i:x12}").ToList();
        var planPath = Path.Combine(folder, "plan.yaml");
        File.WriteAllText(planPath, CrashTests.Plan(users, DateTimeOffset.UtcNow.AddMinutes(-1)));
        var prefix = "s" + Guid.NewGuid().ToString("N")[..12];
        Dictionary<string, string?> Instance(string name) => new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["Bot__LocalPlayground"] = "true",
            ["Storage__Provider"] = "AzureStorage",
            ["Storage__AzureConnectionString"] = azurite.ConnectionString,
            ["Storage__TablePrefix"] = prefix,
            ["Storage__ImportFromSqlite"] = "false",
            ["Storage__BlobLeaseDuration"] = "00:00:15",
            // Each instance still keeps commands, feedback and audit in its own SQLite file.
            ["Storage__SqlitePath"] = Path.Combine(folder, name + ".db"),
            ["Rollout__PlanPath"] = planPath,
            ["Delivery__DefaultServiceUrl"] = teams.ServiceUrl,
            ["Delivery__TenantRatePerSecond"] = "150",
            ["Delivery__MaxConcurrency"] = MaxConcurrency.ToString(CultureInfo.InvariantCulture),
            ["Delivery__LeaseDuration"] = lease.ToString("c", CultureInfo.InvariantCulture),
            ["Delivery__SchedulerInterval"] = "00:00:01",
            ["Delivery__PollInterval"] = "00:00:00.200",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__TeamsRolloutBot.Delivery.DeliveryScheduler"] = "Information",
            ["Logging__LogLevel__TeamsRolloutBot.Storage.Azure.BlobLeaseLeadership"] = "Information",
        };
        return (users, prefix, Instance("a"), Instance("b"));
    }

    private async Task<int> JobCountAsync(string prefix, CancellationToken ct)
    {
        var count = 0;
        await foreach (var _ in new TableServiceClient(azurite.ConnectionString).GetTableClient(prefix + "Jobs")
            .QueryAsync<TableEntity>(select: ["RowKey"], cancellationToken: ct))
        {
            count++;
        }
        return count;
    }

    /// <summary>What the Jobs table says about the members who got nothing (for the failure message).</summary>
    private async Task<string> UndeliveredAsync(string prefix, IEnumerable<string> users, CancellationToken ct)
    {
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(prefix + "Jobs");
        var lines = new List<string>();
        foreach (var user in users)
        {
            await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Target eq {user}"), cancellationToken: ct))
            {
                lines.Add($"{user}: {e.GetString("State")} due {DateTimeOffset.FromUnixTimeMilliseconds(e.GetInt64("DueAt") ?? 0):O} attempts {e.GetInt32("Attempts")} "
                    + $"outcome {e.GetString("Outcome")} owner {e.GetString("LeaseOwner")} signal {DateTimeOffset.FromUnixTimeMilliseconds(e.GetInt64("SignalAt") ?? 0):O}");
            }
        }
        var queue = new Azure.Storage.Queues.QueueServiceClient(azurite.ConnectionString).GetQueueClient(prefix + "outbox");
        lines.Add($"now {DateTimeOffset.UtcNow:O}; messages in the queue: {(await queue.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount}");
        return string.Join('\n', lines);
    }

    private static async Task WaitForAsync(Func<bool> done, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, ct);
        }
    }

    private static int Delivered(FakeTeams teams, List<string> users) => users.Count(u => teams.MessagesTo(u) > 0);

    private static int Expansions(string output) => ExpandedLine().Count(output);

    private static int Leaders(string output) => LeaderLine().Count(output);

    [GeneratedRegex(@"jobs in the outbox")]
    private static partial Regex ExpandedLine();

    [GeneratedRegex(@"is now the scheduler leader")]
    private static partial Regex LeaderLine();
}
