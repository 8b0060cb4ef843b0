using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Storage.Azure;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>The instance registry on Azurite and the pacing share it drives, on a fake clock.</summary>
public sealed class AzureInstanceRegistryTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2027, 7, 5, 7, 0, 0, TimeSpan.Zero));
    private readonly string _prefix = "p" + Guid.NewGuid().ToString("N")[..12];

    private AzureTableInstanceRegistry Registry() =>
        new(new TableServiceClient(azurite.ConnectionString), _prefix, _time, Heartbeat * 3);

    [Fact]
    public async Task Two_registries_see_each_other_and_a_stopped_one_drops_out_after_three_heartbeats()
    {
        var ct = TestContext.Current.CancellationToken;
        var a = Registry();
        var b = Registry();

        Assert.Equal(1, await a.HeartbeatAsync("a", ct));
        Assert.Equal(2, await b.HeartbeatAsync("b", ct));
        Assert.Equal(2, await a.HeartbeatAsync("a", ct));

        // b stops beating (killed): a still counts it until it was unseen for three heartbeats.
        _time.Advance(Heartbeat * 2);
        Assert.Equal(2, await a.HeartbeatAsync("a", ct));
        _time.Advance(Heartbeat + TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, await a.HeartbeatAsync("a", ct));

        // b comes back, then stops cleanly: it leaves at once.
        Assert.Equal(2, await b.HeartbeatAsync("b", ct));
        Assert.Equal(2, await a.HeartbeatAsync("a", ct));
        await b.LeaveAsync("b", ct);
        Assert.Equal(1, await a.HeartbeatAsync("a", ct));
    }

    [Fact]
    public async Task Instance_ids_with_characters_table_keys_forbid_are_stored()
    {
        var ct = TestContext.Current.CancellationToken;
        var a = Registry();
        Assert.Equal(1, await a.HeartbeatAsync("host/1#x?y\\z:42:abc", ct));
        Assert.Equal(2, await a.HeartbeatAsync("other", ct));
        await a.LeaveAsync("host/1#x?y\\z:42:abc", ct);
        Assert.Equal(1, await a.HeartbeatAsync("other", ct));
    }

    private sealed class Instance : IDisposable
    {
        public Instance(IInstanceRegistry registry, TimeProvider time, string id)
        {
            var options = Microsoft.Extensions.Options.Options.Create(new DeliveryOptions { TenantRatePerSecond = 48, InstanceHeartbeat = Heartbeat });
            Id = id;
            Tenant = new TenantPacer(options, time);
            Conversations = new ConversationPacer(options, time);
            Coordinator = new PacingCoordinator(Tenant, Conversations, options, time, NullLogger<PacingCoordinator>.Instance, registry);
        }

        public string Id { get; }
        public TenantPacer Tenant { get; }
        public ConversationPacer Conversations { get; }
        public PacingCoordinator Coordinator { get; }

        public void Dispose() => Coordinator.Dispose();
    }

    /// <summary>Moves the fake clock one heartbeat and waits (real time) until each instance has beaten again.</summary>
    private async Task BeatAsync(params Instance[] instances)
    {
        var before = instances.Select(i => i.Coordinator.Beats).ToArray();
        _time.Advance(Heartbeat);
        for (var waited = 0; instances.Where((x, i) => x.Coordinator.Beats <= before[i]).Any(); waited++)
        {
            Assert.True(waited < 1000, "the heartbeat did not run");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Joining_instances_split_the_rate_and_a_killed_one_gives_its_share_back_after_expiry()
    {
        var ct = TestContext.Current.CancellationToken;
        using var a = new Instance(Registry(), _time, "a");
        using var b = new Instance(Registry(), _time, "b");

        await a.Coordinator.JoinAsync(a.Id, ct);
        Assert.Equal(48, a.Tenant.RatePerSecond, 2);
        await b.Coordinator.JoinAsync(b.Id, ct);
        Assert.Equal(2, b.Coordinator.LiveInstances);
        Assert.Equal(24, b.Tenant.RatePerSecond, 2);
        Assert.Equal(3, b.Conversations.Windows[0].Count);

        // b sends nothing until a has counted it: a still runs at 48/s until its next heartbeat.
        var first = b.Tenant.WaitAsync(ct).AsTask();
        await BeatAsync(a, b);
        Assert.Equal(24, a.Tenant.RatePerSecond, 2);
        Assert.False(first.IsCompleted, "b sent while a had not counted it yet");
        _time.Advance(TimeSpan.FromSeconds(1.1));
        await first.WaitAsync(TimeSpan.FromSeconds(10), ct);

        // b is killed (its heartbeat stops, it does not leave): a keeps its half until b expires, then takes all.
        b.Coordinator.Dispose();
        await BeatAsync(a);
        await BeatAsync(a);
        Assert.Equal(24, a.Tenant.RatePerSecond, 2);
        await BeatAsync(a);
        Assert.Equal(1, a.Coordinator.LiveInstances);
        Assert.Equal(48, a.Tenant.RatePerSecond, 2);
        Assert.Equal(7, a.Conversations.Windows[0].Count);

        // A third instance joins and stops cleanly: a's share grows back at its next heartbeat, without waiting for expiry.
        using var c = new Instance(Registry(), _time, "c");
        await c.Coordinator.JoinAsync(c.Id, ct);
        await BeatAsync(a, c);
        Assert.Equal(24, a.Tenant.RatePerSecond, 2);
        await c.Coordinator.LeaveAsync(c.Id);
        await BeatAsync(a);
        Assert.Equal(48, a.Tenant.RatePerSecond, 2);
        await a.Coordinator.LeaveAsync(a.Id);
    }

    /// <summary>The real bot in local Playground mode, its delivery engine driven by the test, without a plan.</summary>
    private Task<TestBot> BotAsync(bool azure)
    {
        var builder = TestBot.Create().LocalPlayground().WithoutPlan().WithManualDelivery();
        return (azure ? builder.WithAzurite(azurite.ConnectionString, _prefix) : builder.WithSqlite()).StartAsync();
    }

    [Fact]
    public async Task In_the_real_bot_a_running_dispatcher_is_a_live_instance_on_AzureStorage_and_leaves_when_stopped()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var azure = await BotAsync(azure: true);
        await using var sqlite = await BotAsync(azure: false);
        Assert.False(sqlite.Services.GetRequiredService<PacingCoordinator>().Shared);
        Assert.True(azure.Services.GetRequiredService<PacingCoordinator>().Shared);

        var dispatcher = azure.Services.GetRequiredService<DeliveryDispatcher>();
        await dispatcher.StartAsync(ct);
        // Another instance on the account counts this one.
        var other = new AzureTableInstanceRegistry(new TableServiceClient(azurite.ConnectionString), _prefix, TimeProvider.System, Heartbeat * 3);
        for (var i = 0; i < 500 && azure.Services.GetRequiredService<PacingCoordinator>().Beats == 0; i++)
        {
            await Task.Delay(10, ct);
        }
        Assert.Equal(2, await other.HeartbeatAsync("other", ct));

        await dispatcher.StopAsync(ct);
        Assert.Equal(1, await other.HeartbeatAsync("other", ct));
    }
}
