using Azure.Data.Tables;
using Azure.Storage.Queues;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Storage.Azure;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>
/// The contract suite against the Azure store with the outbox queue (Azurite). The contract's clock is fake while queue
/// visibility runs on real time, so here no message is hidden (MaxHide 0): every decision is taken from the Jobs table,
/// exactly as in production. The real-time behaviour of hidden messages is tested in <see cref="AzureQueueOutboxTests"/>.
/// </summary>
public sealed class AzureQueueDeliveryStoreTests(AzuriteFixture azurite) : DeliveryStoreContract, IClassFixture<AzuriteFixture>
{
    protected override async Task<IDeliveryStore> CreateStoreAsync()
    {
        var prefix = "q" + Guid.NewGuid().ToString("N")[..12];
        var store = new AzureTableDeliveryStore(new TableServiceClient(azurite.ConnectionString), prefix, Time, outboxQueue:
            new QueueServiceClient(azurite.ConnectionString).GetQueueClient(prefix + "outbox"),
            queueOptions: new OutboxQueueOptions { MaxHide = TimeSpan.Zero, HeldRecheck = TimeSpan.Zero });
        await store.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        return store;
    }
}

/// <summary>The outbox queue on Azurite in real time: messages as the work signal, their loss, their expiry.</summary>
public sealed class AzureQueueOutboxTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private (AzureTableDeliveryStore Store, QueueClient Queue, string Prefix) NewStore(TimeProvider time, OutboxQueueOptions? options = null, string? prefix = null)
    {
        prefix ??= "o" + Guid.NewGuid().ToString("N")[..12];
        var queue = new QueueServiceClient(azurite.ConnectionString).GetQueueClient(prefix + "outbox");
        return (new AzureTableDeliveryStore(new TableServiceClient(azurite.ConnectionString), prefix, time, outboxQueue: queue, queueOptions: options), queue, prefix);
    }

    private static OutboxJob Job(string target, DateTimeOffset due) =>
        new($"it/pre-1/it/members|personal|{target}", "it/pre-1/it/members", "it", "pre-1", "it", DeliveryKind.Personal, target, "nl", due);

    private static async Task<int> MessagesAsync(QueueClient queue) => (await queue.GetPropertiesAsync(Ct)).Value.ApproximateMessagesCount;

    [Fact]
    public async Task Enqueue_sends_one_message_per_job_and_finishing_the_job_deletes_it()
    {
        var (store, queue, _) = NewStore(TimeProvider.System);
        await store.EnsureCreatedAsync(Ct);
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(2, await store.EnqueueAsync([Job("u1", now), Job("u2", now)], Ct));
        Assert.Equal(2, await MessagesAsync(queue));

        var leased = await store.LeaseAsync("a", 10, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), Ct);
        Assert.Equal(["u1", "u2"], leased.Select(j => j.Job.Target).Order());
        await store.RecordAsync([.. leased.Select(j => new JobUpdate(j.Job.Key, new DeliveryResult(DeliveryOutcome.Delivered)))], Ct);
        Assert.Equal(0, await MessagesAsync(queue));
    }

    [Fact]
    public async Task A_job_due_later_stays_hidden_until_it_is_due()
    {
        var (store, queue, _) = NewStore(TimeProvider.System);
        await store.EnsureCreatedAsync(Ct);
        await store.EnqueueAsync([Job("u1", DateTimeOffset.UtcNow.AddSeconds(2))], Ct);
        Assert.Empty(await store.LeaseAsync("a", 10, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), Ct));
        Assert.Empty((await queue.PeekMessagesAsync(32, Ct)).Value);

        await Task.Delay(TimeSpan.FromSeconds(3.2), Ct);
        Assert.Single(await store.LeaseAsync("a", 10, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), Ct));
    }

    [Fact]
    public async Task A_killed_instances_jobs_show_up_again_for_another_instance_when_the_lease_runs_out()
    {
        var (first, _, prefix) = NewStore(TimeProvider.System);
        await first.EnsureCreatedAsync(Ct);
        var (second, queue, _) = NewStore(TimeProvider.System, prefix: prefix);
        await first.EnqueueAsync([Job("u1", DateTimeOffset.UtcNow), Job("u2", DateTimeOffset.UtcNow)], Ct);

        // The first instance leases both and dies without recording anything.
        Assert.Equal(2, (await first.LeaseAsync("dead", 10, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(2), Ct)).Count);
        Assert.Empty(await second.LeaseAsync("alive", 10, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(30), Ct));

        await Task.Delay(TimeSpan.FromSeconds(3.2), Ct);
        var taken = await second.LeaseAsync("alive", 10, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(["u1", "u2"], taken.Select(j => j.Job.Target).Order());
        await second.RecordAsync([.. taken.Select(j => new JobUpdate(j.Job.Key, new DeliveryResult(DeliveryOutcome.Delivered)))], Ct);
        Assert.Equal(0, await MessagesAsync(queue));
    }

    [Fact]
    public async Task A_message_for_a_job_finished_elsewhere_is_dropped_without_a_send()
    {
        var (first, _, prefix) = NewStore(TimeProvider.System);
        await first.EnsureCreatedAsync(Ct);
        var (second, queue, _) = NewStore(TimeProvider.System, prefix: prefix);
        await first.EnqueueAsync([Job("u1", DateTimeOffset.UtcNow)], Ct);
        var leased = Assert.Single(await first.LeaseAsync("a", 10, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1), Ct));
        // Recorded through another instance (no receipt for the message): the message stays until it next shows up.
        await second.CompleteAsync(leased.Job.Key, new DeliveryResult(DeliveryOutcome.Delivered), Ct);
        Assert.Equal(1, await MessagesAsync(queue));

        await Task.Delay(TimeSpan.FromSeconds(2.2), Ct);
        Assert.Empty(await second.LeaseAsync("b", 10, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), Ct));
        Assert.Equal(0, await MessagesAsync(queue));
        Assert.Equal(JobState.Delivered, (await second.FindJobAsync(leased.Job.Key, Ct))!.State);
    }

    [Fact]
    public async Task A_retry_moves_the_message_to_the_retry_time()
    {
        var (store, queue, _) = NewStore(TimeProvider.System);
        await store.EnsureCreatedAsync(Ct);
        await store.EnqueueAsync([Job("u1", DateTimeOffset.UtcNow)], Ct);
        var leased = Assert.Single(await store.LeaseAsync("a", 10, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), Ct));
        await store.RescheduleAsync(leased.Job.Key, DateTimeOffset.UtcNow.AddSeconds(2), new DeliveryResult(DeliveryOutcome.Throttled, "429"), true, false, Ct);
        Assert.Equal(1, await MessagesAsync(queue));
        Assert.Empty(await store.LeaseAsync("a", 10, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), Ct));

        await Task.Delay(TimeSpan.FromSeconds(3.2), Ct);
        var again = Assert.Single(await store.LeaseAsync("a", 10, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), Ct));
        Assert.Equal(1, again.Attempts);
    }

    [Fact]
    public async Task A_job_due_beyond_the_longest_hide_keeps_its_message_hidden_again_until_due()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var (store, queue, _) = NewStore(time, new OutboxQueueOptions { MaxHide = TimeSpan.FromSeconds(1) });
        await store.EnsureCreatedAsync(Ct);
        await store.EnqueueAsync([Job("u1", time.GetUtcNow().AddDays(10))], Ct);

        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
        Assert.Single((await queue.PeekMessagesAsync(32, Ct)).Value);
        Assert.Empty(await store.LeaseAsync("a", 10, time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct));
        Assert.Empty((await queue.PeekMessagesAsync(32, Ct)).Value);
        Assert.Equal(1, await MessagesAsync(queue));

        time.Advance(TimeSpan.FromDays(10));
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
        Assert.Single(await store.LeaseAsync("a", 10, time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct));
    }

    [Fact]
    public async Task The_sweep_gives_a_due_job_that_lost_its_message_a_new_one()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var (store, queue, _) = NewStore(time, new OutboxQueueOptions { SweepGrace = TimeSpan.FromMinutes(10) });
        await store.EnsureCreatedAsync(Ct);
        await store.EnqueueAsync([Job("lost", time.GetUtcNow()), Job("later", time.GetUtcNow().AddHours(1))], Ct);
        // A crash between the table insert and the queue send: no message.
        await queue.ClearMessagesAsync(Ct);
        Assert.Empty(await store.LeaseAsync("a", 10, time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct));

        // Within the grace the message may still be on its way: nothing is sent twice.
        Assert.Equal(0, await store.SweepAsync(Ct));
        time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(1, await store.SweepAsync(Ct));
        Assert.Equal(0, await store.SweepAsync(Ct));
        Assert.Equal("lost", Assert.Single(await store.LeaseAsync("a", 10, time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct)).Job.Target);
    }

    [Fact]
    public async Task Jobs_stored_without_the_queue_are_picked_up_by_the_first_sweep()
    {
        var prefix = "o" + Guid.NewGuid().ToString("N")[..12];
        var tablesOnly = new AzureTableDeliveryStore(new TableServiceClient(azurite.ConnectionString), prefix, TimeProvider.System);
        await tablesOnly.EnsureCreatedAsync(Ct);
        await tablesOnly.EnqueueAsync([Job("u1", DateTimeOffset.UtcNow)], Ct);
        var (store, _, _) = NewStore(TimeProvider.System, prefix: prefix);
        await store.EnsureCreatedAsync(Ct);
        // Jobs from before the upgrade carry no signal time; the sweep does not wait the grace for them.
        Assert.Empty(await store.LeaseAsync("a", 10, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), Ct));
        Assert.Equal(1, await store.SweepAsync(Ct));
        Assert.Single(await store.LeaseAsync("a", 10, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), Ct));
    }

    [Fact]
    public async Task Queued_jobs_copied_in_without_messages_get_one_each_hidden_until_due()
    {
        var prefix = "o" + Guid.NewGuid().ToString("N")[..12];
        var tablesOnly = new AzureTableDeliveryStore(new TableServiceClient(azurite.ConnectionString), prefix, TimeProvider.System);
        await tablesOnly.EnsureCreatedAsync(Ct);
        await tablesOnly.EnqueueAsync([Job("now", DateTimeOffset.UtcNow), Job("soon", DateTimeOffset.UtcNow.AddSeconds(2)), Job("done", DateTimeOffset.UtcNow)], Ct);
        await tablesOnly.CompleteAsync(Job("done", DateTimeOffset.UtcNow).Key, new DeliveryResult(DeliveryOutcome.Delivered), Ct);
        var (store, queue, _) = NewStore(TimeProvider.System, prefix: prefix);
        await store.EnsureCreatedAsync(Ct);

        Assert.Equal(2, await store.SignalQueuedAsync(Ct));
        Assert.Equal(2, await MessagesAsync(queue));
        Assert.Equal("now", Assert.Single(await store.LeaseAsync("a", 10, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), Ct)).Job.Target);
        await Task.Delay(TimeSpan.FromSeconds(3.2), Ct);
        Assert.Equal("soon", Assert.Single(await store.LeaseAsync("a", 10, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), Ct)).Job.Target);
    }

    [Fact]
    public async Task Expanding_again_after_a_crash_between_insert_and_message_sends_the_missing_message()
    {
        var (store, queue, _) = NewStore(TimeProvider.System);
        await store.EnsureCreatedAsync(Ct);
        await store.EnqueueAsync([Job("u1", DateTimeOffset.UtcNow), Job("u2", DateTimeOffset.UtcNow)], Ct);
        await store.CompleteAsync(Job("u2", DateTimeOffset.UtcNow).Key, new DeliveryResult(DeliveryOutcome.Delivered), Ct);
        // The expanding instance died after the inserts, before the messages went out.
        await queue.ClearMessagesAsync(Ct);

        // The next leader expands the send again: nothing is added, the queued job gets a message, the finished one none.
        Assert.Equal(0, await store.EnqueueAsync([Job("u1", DateTimeOffset.UtcNow), Job("u2", DateTimeOffset.UtcNow)], Ct));
        Assert.Equal(1, await MessagesAsync(queue));
        Assert.Equal("u1", Assert.Single(await store.LeaseAsync("a", 10, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), Ct)).Job.Target);
    }

    [Fact]
    public async Task A_cancelled_waves_messages_are_deleted_in_one_pass_and_come_back_when_it_is_started_again()
    {
        var prefix = "o" + Guid.NewGuid().ToString("N")[..12];
        var queue = new QueueServiceClient(azurite.ConnectionString).GetQueueClient(prefix + "outbox");
        var held = new HashSet<string>(StringComparer.Ordinal);
        var cancelled = new HashSet<string>(StringComparer.Ordinal);
        var store = new AzureTableDeliveryStore(new TableServiceClient(azurite.ConnectionString), prefix, TimeProvider.System,
            _ => Task.FromResult<IReadOnlySet<string>>(new HashSet<string>(held)), queue, new OutboxQueueOptions { HeldRecheck = TimeSpan.FromMinutes(1) },
            _ => Task.FromResult<IReadOnlySet<string>>(new HashSet<string>(cancelled)));
        await store.EnsureCreatedAsync(Ct);
        var paused = new OutboxJob("hr/pre-1/hr/members|personal|p1", "hr/pre-1/hr/members", "hr", "pre-1", "hr", DeliveryKind.Personal, "p1", "nl", DateTimeOffset.UtcNow);
        await store.EnqueueAsync([Job("u1", DateTimeOffset.UtcNow), Job("u2", DateTimeOffset.UtcNow), Job("u3", DateTimeOffset.UtcNow), paused], Ct);
        held.UnionWith(["it", "hr"]);
        cancelled.Add("it");

        // One dispatcher pass: the cancelled wave's messages are gone, the paused wave's message is only hidden.
        Assert.Empty(await store.LeaseAsync("a", 10, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), Ct));
        Assert.Equal(1, await MessagesAsync(queue));
        Assert.Equal(3, (await store.GetDeliveriesAsync("it", Ct)).Count(d => d.State == JobState.Queued));
        // While the wave stays cancelled the sweep sends nothing for it.
        Assert.Equal(0, await store.SweepAsync(Ct));

        // Started again: the next sweep gives its jobs a message at once, without waiting the grace.
        held.Remove("it");
        cancelled.Remove("it");
        Assert.Equal(3, await store.SweepAsync(Ct));
        Assert.Equal(["u1", "u2", "u3"], (await store.LeaseAsync("a", 10, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), Ct)).Select(j => j.Job.Target).Order());
    }
}
