using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Feedback.Replies;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Storage.Azure;
using TeamsRolloutBot.Tests.Infrastructure;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary><c>Storage:Provider=AzureStorage</c> in the real bot: the delivery state goes to Table Storage (Azurite), not the SQLite file.</summary>
public sealed partial class AzureStorageWiringTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_bot_keeps_its_outbox_and_conversations_in_tables_that_a_second_instance_sees()
    {
        var prefix = "w" + Guid.NewGuid().ToString("N")[..12];
        await using var bot = await Instance(prefix);
        var tables = new TableServiceClient(azurite.ConnectionString);
        var created = new List<string>();
        await foreach (var table in tables.QueryAsync($"TableName ge '{prefix}' and TableName lt '{prefix}~'", cancellationToken: Ct))
        {
            created.Add(table.Name);
        }
        Assert.Equal(AzureStorageTables.Suffixes.Select(s => prefix + s).Order(StringComparer.Ordinal), created.Order(StringComparer.Ordinal));

        var store = bot.Services.GetRequiredService<IDeliveryStore>();
        Assert.IsType<AzureTableDeliveryStore>(store);
        var now = DateTimeOffset.UtcNow;
        await store.EnqueueAsync([new OutboxJob("it/pre-1/it/members|personal|u1", "it/pre-1/it/members", "it", "pre-1", "it", DeliveryKind.Personal, "u1", "nl", now)], Ct);
        await store.SaveConversationAsync(new ConversationReference("msteams", "https://smba.trafficmanager.net/emea/", "a:1", "personal", "t", "28:b", "29:1", "aad-1", null, null, null, "nl-NL"), Ct);

        // Another instance on the same account (a fresh client, no shared memory) finds the job and the conversation.
        var other = new AzureTableDeliveryStore(tables, prefix, TimeProvider.System);
        Assert.Equal("u1", Assert.Single(await other.LeaseAsync("instance-2", 10, now, TimeSpan.FromMinutes(1), Ct)).Job.Target);
        Assert.Equal("a:1", (await other.FindPersonalConversationAsync("AAD-1", Ct))!.Reference.ConversationId);
        // The bot's own conversation store (install events, commands, notifications) reads the same table, not the SQLite file.
        Assert.NotNull(await bot.Services.GetRequiredService<IConversationStore>().FindPersonalAsync("aad-1", Ct));
        Assert.Null(await new SqliteConversationStore(bot.Services.GetRequiredService<SqliteDatabase>(), TimeProvider.System).FindPersonalAsync("aad-1", Ct));
    }

    [Fact]
    public async Task Every_shared_store_is_on_Table_Storage_and_readyz_fails_when_a_table_is_missing()
    {
        var prefix = "h" + Guid.NewGuid().ToString("N")[..12];
        await using var bot = await Instance(prefix);
        var client = bot.Client;
        Assert.IsType<AzureTableWaveStateStore>(bot.Services.GetRequiredService<IWaveStateStore>());
        Assert.IsType<AzureTableConfirmationStore>(bot.Services.GetRequiredService<IConfirmationStore>());
        Assert.IsType<AzureTableAuditLog>(bot.Services.GetRequiredService<IAuditLog>());
        Assert.IsType<AzureTableInboundActivityLog>(bot.Services.GetRequiredService<IInboundActivityLog>());
        Assert.IsType<AzureTableConversationStore>(bot.Services.GetRequiredService<IConversationStore>());
        Assert.IsType<AzureTablePlanVersionStore>(bot.Services.GetRequiredService<IPlanVersionStore>());
        Assert.IsType<AzureTableFeedbackStore>(bot.Services.GetRequiredService<IFeedbackStore>());
        Assert.IsType<AzureTableThreadReplyStore>(bot.Services.GetRequiredService<IThreadReplyStore>());

        // The plan this instance loaded at start is recorded where the other instances see it.
        var versions = bot.Services.GetRequiredService<IPlanVersionStore>();
        var recorded = await WaitForAsync(async () => (await versions.LatestPerInstanceAsync(Ct)).SingleOrDefault(v => v.Instance == PlanVersionRecorder.InstanceName));
        Assert.Equal(PlanVersionRecorder.HashOf(await File.ReadAllBytesAsync(bot.Services.GetRequiredService<TeamsRolloutBot.Plan.PlanProvider>().PlanPath, Ct)), recorded.Hash);
        Assert.True(recorded.WaveCount > 0);

        using (var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        await new TableServiceClient(azurite.ConnectionString).DeleteTableAsync(prefix + "Waves", Ct);
        using (var notReady = await client.GetAsync(new Uri("/readyz", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        }
    }

    [Fact]
    public async Task A_wave_paused_through_one_instance_is_not_sent_by_the_dispatcher_of_another()
    {
        var prefix = "p" + Guid.NewGuid().ToString("N")[..12];
        await using var first = await Instance(prefix);
        await using var second = await first.StartSecondInstanceAsync();
        var now = DateTimeOffset.UtcNow;
        var delivery = second.Services.GetRequiredService<IDeliveryStore>();
        await delivery.EnqueueAsync([new OutboxJob("pilot/prepare/small/members|personal|u1", "pilot/prepare/small/members", "pilot", "prepare", "small",
            DeliveryKind.Personal, "u1", "nl", now)], Ct);

        var waves = first.Services.GetRequiredService<IWaveStateStore>();
        Assert.True(await waves.TrySaveAsync(new StoredWaveState("pilot", WaveState.Paused, null, now, "lead-1"), null, Ct));
        Assert.Empty(await delivery.LeaseAsync("instance-2", 10, now, TimeSpan.FromMinutes(1), Ct));
        Assert.Null(await delivery.NextDueAsync(Ct));

        var paused = await waves.FindAsync("pilot", Ct);
        Assert.True(await waves.TrySaveAsync(paused! with { State = WaveState.Started }, paused.Version, Ct));
        // Resumed: the job is due again (the outbox queue hands it out once its message is visible again).
        Assert.NotNull(await delivery.NextDueAsync(Ct));
    }

    [Fact]
    public async Task Two_instances_given_the_same_activity_handle_it_once_and_welcome_once()
    {
        var prefix = "d" + Guid.NewGuid().ToString("N")[..12];
        await using var one = await Instance(prefix);
        await using var two = await one.StartSecondInstanceAsync();

        // Teams redelivers a slow message, and the load balancer sends it to the other instance.
        var before = one.Teams.Calls.Count;
        var message = TestActivities.PersonalMessage(one.ServiceUrl, "help");
        Assert.Equal(HttpStatusCode.OK, (await one.PostAsync(message)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await two.PostAsync(message)).StatusCode);
        Assert.Single(one.CallsSince(before));

        // installationUpdate on one instance, conversationUpdate on the other: one welcome card.
        before = one.Teams.Calls.Count;
        var install = TestActivities.PersonalInstall(one.ServiceUrl);
        await one.PostAsync(install);
        install["id"] = "another-activity";
        await two.PostAsync(install);
        Assert.Single(one.CallsSince(before));
        // The reference learned by the first instance is the second's too.
        Assert.NotNull(await two.Services.GetRequiredService<IConversationStore>().FindAsync("a:personal-1", Ct));
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await probe() is { } found)
            {
                return found;
            }
            await Task.Delay(50, Ct);
        }
        throw new TimeoutException("not recorded within 5 s");
    }

    private Task<TestBot> Instance(string prefix, string? leaseDuration = null)
    {
        var builder = TestBot.Create().WithAzurite(azurite.ConnectionString, prefix).WithSetting("Delivery:Enabled", "false");
        if (leaseDuration is not null)
        {
            builder.WithSetting("Storage:BlobLeaseDuration", leaseDuration);
        }
        return builder.StartAsync();
    }

    [Fact]
    public async Task AzureStorage_without_an_account_stops_the_start_naming_the_keys()
    {
        var (exitCode, output) = await BotProcess.StartExpectingRefusalAsync(new Dictionary<string, string?> { ["Storage__Provider"] = "AzureStorage" });
        Assert.Equal(2, exitCode);
        Assert.Contains("Storage:TableServiceUri", output, StringComparison.Ordinal);
    }
}
