using Microsoft.Extensions.Time.Testing;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>
/// What every <see cref="IDeliveryStore"/> must do. An implementation's test class derives from this and supplies
/// <see cref="CreateStoreAsync"/>; the Azure Storage implementation must pass the same suite.
/// </summary>
public abstract class DeliveryStoreContract
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2027, 7, 5, 7, 0, 0, TimeSpan.Zero));

    /// <summary>A new, empty store whose clock is <see cref="Time"/>.</summary>
    protected abstract Task<IDeliveryStore> CreateStoreAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PlannedSend Send(string key = "it/pre-1/it/members", TimeSpan? dueIn = null) =>
        new(key, "it", "pre-1", "it", SendAudience.Members, Time.GetUtcNow() + (dueIn ?? TimeSpan.Zero), "pre-enrollment", "PreEnrollment");

    private OutboxJob Job(string target, TimeSpan? dueIn = null, string send = "it/pre-1/it/members") =>
        new($"{send}|personal|{target}", send, "it", "pre-1", "it", DeliveryKind.Personal, target, "nl", Time.GetUtcNow() + (dueIn ?? TimeSpan.Zero));

    [Fact]
    public async Task Enqueuing_the_same_key_twice_adds_the_job_once()
    {
        var store = await CreateStoreAsync();
        Assert.Equal(2, await store.EnqueueAsync([Job("u1"), Job("u2")], Ct));
        Assert.Equal(1, await store.EnqueueAsync([Job("u1"), Job("u3")], Ct));

        var leased = await store.LeaseAsync("a", 10, Time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct);
        Assert.Equal(["u1", "u2", "u3"], leased.Select(j => j.Job.Target).Order());
    }

    [Fact]
    public async Task An_expansion_interrupted_halfway_and_run_again_stores_each_job_once()
    {
        var store = await CreateStoreAsync();
        var jobs = Enumerable.Range(0, 250).Select(i => Job($"u{i:D3}")).ToList();
        // The first run stopped after 150 of the send's 250 jobs (more than one batch in, one batch part way).
        Assert.Equal(150, await store.EnqueueAsync(jobs[..150], Ct));

        Assert.Equal(100, await store.EnqueueAsync(jobs, Ct));
        var stored = await store.GetDeliveriesAsync("it", Ct);
        Assert.Equal(jobs.Select(j => j.Target), stored.Select(d => d.Target).Order(StringComparer.Ordinal));
        Assert.All(stored, d => Assert.Equal(JobState.Queued, d.State));
    }

    [Fact]
    public async Task A_leased_job_is_not_handed_out_again_until_its_lease_expires()
    {
        var store = await CreateStoreAsync();
        await store.EnqueueAsync([Job("u1"), Job("u2")], Ct);

        var first = await store.LeaseAsync("a", 1, Time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct);
        var second = await store.LeaseAsync("b", 10, Time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct);
        Assert.Single(first);
        Assert.Single(second);
        Assert.NotEqual(first[0].Job.Key, second[0].Job.Key);
        Assert.Empty(await store.LeaseAsync("c", 10, Time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct));

        Time.Advance(TimeSpan.FromSeconds(61));
        var again = await store.LeaseAsync("c", 10, Time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct);
        Assert.Equal(2, again.Count);
    }

    [Fact]
    public async Task A_job_is_not_leased_before_it_is_due()
    {
        var store = await CreateStoreAsync();
        await store.EnqueueAsync([Job("later", TimeSpan.FromHours(1))], Ct);
        Assert.Empty(await store.LeaseAsync("a", 10, Time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct));
        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromHours(1), await store.NextDueAsync(Ct));
        Time.Advance(TimeSpan.FromHours(1));
        Assert.Single(await store.LeaseAsync("a", 10, Time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct));
    }

    [Fact]
    public async Task A_completed_job_is_never_leased_again_and_its_outcome_is_in_the_recipients_log()
    {
        var store = await CreateStoreAsync();
        await store.EnqueueAsync([Job("u1"), Job("u2")], Ct);
        var leased = await store.LeaseAsync("a", 10, Time.GetUtcNow(), TimeSpan.FromSeconds(10), Ct);
        await store.CompleteAsync(leased[0].Job.Key, new DeliveryResult(DeliveryOutcome.Delivered, null, 200, "a:u1", "act-1"), Ct);
        await store.CompleteAsync(leased[1].Job.Key, new DeliveryResult(DeliveryOutcome.BotBlocked, "ConversationBlockedByUser", 403), Ct);

        Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(await store.LeaseAsync("b", 10, Time.GetUtcNow(), TimeSpan.FromSeconds(10), Ct));
        Assert.Null(await store.NextDueAsync(Ct));

        var log = Assert.Single(await store.GetDeliveryLogAsync(leased[1].Job.Target, Ct));
        Assert.Equal(JobState.Failed, log.State);
        Assert.Equal(DeliveryOutcome.BotBlocked, log.Outcome);
        Assert.Equal("ConversationBlockedByUser", log.Detail);
        var delivered = await store.FindJobAsync(leased[0].Job.Key, Ct);
        Assert.Equal(JobState.Delivered, delivered!.State);
        Assert.Equal("act-1", delivered.ActivityId);
        Assert.Equal(1, delivered.Attempts);
    }

    [Fact]
    public async Task A_rescheduled_job_comes_back_at_its_new_time_with_the_attempt_counted()
    {
        var store = await CreateStoreAsync();
        await store.EnqueueAsync([Job("u1")], Ct);
        var leased = Assert.Single(await store.LeaseAsync("a", 10, Time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct));
        await store.RescheduleAsync(leased.Job.Key, Time.GetUtcNow() + TimeSpan.FromSeconds(30),
            new DeliveryResult(DeliveryOutcome.Transient, "502", 502), countAttempt: true, installRequested: true, Ct);

        Assert.Empty(await store.LeaseAsync("a", 10, Time.GetUtcNow() + TimeSpan.FromSeconds(29), TimeSpan.FromMinutes(1), Ct));
        var again = Assert.Single(await store.LeaseAsync("a", 10, Time.GetUtcNow() + TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), Ct));
        Assert.Equal(1, again.Attempts);
        Assert.True(again.InstallRequested);
        Assert.Equal(DeliveryOutcome.Transient, (await store.FindJobAsync(leased.Job.Key, Ct))!.Outcome);
    }

    [Fact]
    public async Task Released_jobs_are_due_again_at_once()
    {
        var store = await CreateStoreAsync();
        await store.EnqueueAsync([Job("u1")], Ct);
        var leased = Assert.Single(await store.LeaseAsync("a", 10, Time.GetUtcNow(), TimeSpan.FromMinutes(10), Ct));
        await store.ReleaseAsync([leased.Job.Key], Time.GetUtcNow(), Ct);
        Assert.Single(await store.LeaseAsync("b", 10, Time.GetUtcNow(), TimeSpan.FromMinutes(10), Ct));
    }

    [Fact]
    public async Task Progress_counts_each_state_per_wave_message()
    {
        var store = await CreateStoreAsync();
        await store.EnqueueAsync([Job("u1"), Job("u2"), Job("u3"), Job("u4")], Ct);
        var leased = await store.LeaseAsync("a", 3, Time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct);
        await store.CompleteAsync(leased[0].Job.Key, new DeliveryResult(DeliveryOutcome.Delivered), Ct);
        await store.CompleteAsync(leased[1].Job.Key, new DeliveryResult(DeliveryOutcome.RecipientGone, "404"), Ct);
        await store.CompleteAsync(leased[2].Job.Key, new DeliveryResult(DeliveryOutcome.Skipped, "local"), Ct);

        var progress = Assert.Single(await store.GetProgressAsync(Time.GetUtcNow() - TimeSpan.FromMinutes(1), Ct));
        Assert.Equal(("it", "pre-1", 4, 1, 1, 1, 1), (progress.WaveId, progress.MessageId, progress.Total, progress.Delivered, progress.Failed, progress.Skipped, progress.Queued));
    }

    [Fact]
    public async Task Personal_deliveries_list_the_people_delivered_to_with_the_time_of_their_delivery()
    {
        var store = await CreateStoreAsync();
        var start = Time.GetUtcNow();
        await store.EnqueueAsync([Job("u1"), Job("u2"), Job("u3"), Job("u4"), Job("other", send: "it/pre-2/it/members") with { MessageId = "pre-2" }], Ct);
        var leased = (await store.LeaseAsync("a", 10, Time.GetUtcNow(), TimeSpan.FromHours(1), Ct)).ToDictionary(j => j.Job.Target, j => j.Job.Key);
        Time.Advance(TimeSpan.FromMinutes(5));
        await store.CompleteAsync(leased["u2"], new DeliveryResult(DeliveryOutcome.Delivered), Ct);
        await store.CompleteAsync(leased["other"], new DeliveryResult(DeliveryOutcome.Delivered), Ct);
        Time.Advance(TimeSpan.FromDays(2));
        await store.CompleteAsync(leased["u1"], new DeliveryResult(DeliveryOutcome.Delivered), Ct);
        await store.CompleteAsync(leased["u3"], new DeliveryResult(DeliveryOutcome.BotBlocked, "blocked", 403), Ct);
        // u4 stays leased (not delivered yet).

        Assert.Equal(
            [new PersonalDelivery("u2", start + TimeSpan.FromMinutes(5)), new PersonalDelivery("u1", start + TimeSpan.FromMinutes(5) + TimeSpan.FromDays(2))],
            await store.GetPersonalDeliveriesAsync("it", "pre-1", "it", Ct));
        Assert.Empty(await store.GetPersonalDeliveriesAsync("it", "pre-1", "hr", Ct));
    }

    [Fact]
    public async Task Planned_sends_are_registered_once_and_keep_their_state()
    {
        var store = await CreateStoreAsync();
        Assert.Equal(2, await store.RegisterSendsAsync([Send("a"), Send("b", TimeSpan.FromDays(1))], Ct));
        Assert.Equal(0, await store.RegisterSendsAsync([Send("a"), Send("b", TimeSpan.FromDays(1))], Ct));

        var due = Assert.Single(await store.GetDueSendsAsync(Time.GetUtcNow(), Ct));
        Assert.Equal("a", due.Send.Key);
        await store.MarkSendAsync("a", PlannedSendState.Expanded, 12, null, Ct);
        await store.RegisterSendsAsync([Send("a")], Ct);
        Assert.Empty(await store.GetDueSendsAsync(Time.GetUtcNow(), Ct));
        Assert.Equal((PlannedSendState.Expanded, 12), ((await store.FindSendAsync("a", Ct))!.State, (await store.FindSendAsync("a", Ct))!.JobCount));
    }

    [Fact]
    public async Task Open_sends_are_the_pending_ones_and_the_expanded_ones_with_queued_jobs()
    {
        var store = await CreateStoreAsync();
        await store.RegisterSendsAsync([Send("pending", TimeSpan.FromDays(1)), Send("running"), Send("done")], Ct);
        await store.MarkSendAsync("running", PlannedSendState.Expanded, 2, null, Ct);
        await store.MarkSendAsync("done", PlannedSendState.Expanded, 1, null, Ct);
        await store.EnqueueAsync([Job("u1", send: "running"), Job("u2", send: "running"), Job("u3", send: "done")], Ct);
        await store.CompleteAsync("running|personal|u1", new DeliveryResult(DeliveryOutcome.Delivered), Ct);
        await store.CompleteAsync("done|personal|u3", new DeliveryResult(DeliveryOutcome.Delivered), Ct);

        var open = await store.GetOpenSendsAsync(Ct);
        Assert.Equal([("pending", 0), ("running", 1)], open.Select(o => (o.Send.Send.Key, o.QueuedJobs)).OrderBy(o => o.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Cancelling_a_send_skips_its_queued_jobs_with_the_reason_and_keeps_what_was_delivered()
    {
        var store = await CreateStoreAsync();
        await store.RegisterSendsAsync([Send("running"), Send("pending", TimeSpan.FromDays(1)), Send("done")], Ct);
        await store.MarkSendAsync("running", PlannedSendState.Expanded, 3, null, Ct);
        await store.MarkSendAsync("done", PlannedSendState.Expanded, 1, null, Ct);
        await store.EnqueueAsync([Job("u1", send: "running"), Job("u2", send: "running"), Job("u3", send: "running"), Job("u4", send: "done")], Ct);
        await store.CompleteAsync("running|personal|u1", new DeliveryResult(DeliveryOutcome.Delivered), Ct);
        await store.CompleteAsync("done|personal|u4", new DeliveryResult(DeliveryOutcome.Delivered), Ct);

        Assert.Equal(2, await store.CancelSendAsync("running", "removed from the plan", Ct));
        Assert.Equal(0, await store.CancelSendAsync("pending", "removed from the plan", Ct));
        // Not open (finished, already cancelled, unknown): nothing changes, nothing to report again.
        Assert.Null(await store.CancelSendAsync("done", "removed from the plan", Ct));
        Assert.Null(await store.CancelSendAsync("running", "removed from the plan", Ct));
        Assert.Null(await store.CancelSendAsync("unknown", "removed from the plan", Ct));

        Assert.Equal((PlannedSendState.Cancelled, "removed from the plan"), ((await store.FindSendAsync("running", Ct))!.State, (await store.FindSendAsync("running", Ct))!.Detail));
        Assert.Equal(PlannedSendState.Cancelled, (await store.FindSendAsync("pending", Ct))!.State);
        Assert.Equal(PlannedSendState.Expanded, (await store.FindSendAsync("done", Ct))!.State);
        var skipped = (await store.FindJobAsync("running|personal|u2", Ct))!;
        Assert.Equal((JobState.Skipped, DeliveryOutcome.Skipped, "removed from the plan"), (skipped.State, skipped.Outcome, skipped.Detail));
        Assert.Equal(JobState.Delivered, (await store.FindJobAsync("running|personal|u1", Ct))!.State);
        Assert.Empty(await store.GetOpenSendsAsync(Ct));
        Assert.Empty(await store.LeaseAsync("a", 10, Time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct));
        Assert.Empty(await store.GetDueSendsAsync(Time.GetUtcNow() + TimeSpan.FromDays(2), Ct));

        // Put back in the plan: pending again.
        await store.RegisterSendsAsync([Send("pending", TimeSpan.FromDays(1))], Ct);
        var back = (await store.FindSendAsync("pending", Ct))!;
        Assert.Equal((PlannedSendState.Pending, null), (back.State, back.Detail));
    }

    [Fact]
    public async Task The_first_content_frozen_for_a_send_is_kept()
    {
        var store = await CreateStoreAsync();
        await store.RegisterSendsAsync([Send("a")], Ct);
        Assert.Null((await store.FindSendAsync("a", Ct))!.Content);

        Assert.Equal("""{"v":1}""", await store.FreezeContentAsync("a", """{"v":1}""", Ct));
        Assert.Equal("""{"v":1}""", await store.FreezeContentAsync("a", """{"v":2}""", Ct));
        await store.RegisterSendsAsync([Send("a", TimeSpan.FromHours(1))], Ct);
        Assert.Equal("""{"v":1}""", (await store.FindSendAsync("a", Ct))!.Content);
        Assert.Null(await store.FreezeContentAsync("unknown", """{"v":1}""", Ct));
    }

    [Fact]
    public async Task Missed_sends_are_listed_until_reported()
    {
        var store = await CreateStoreAsync();
        await store.RegisterSendsAsync([Send("a")], Ct);
        await store.MarkSendAsync("a", PlannedSendState.Missed, 0, "too late", Ct);
        Assert.Equal("too late", Assert.Single(await store.GetUnreportedMissedAsync(Ct)).Detail);
        await store.MarkMissedReportedAsync("a", Time.GetUtcNow(), Ct);
        Assert.Empty(await store.GetUnreportedMissedAsync(Ct));
    }

    [Fact]
    public async Task Progress_cards_and_settings_are_kept()
    {
        var store = await CreateStoreAsync();
        var card = new ProgressCard("it", "pre-1", "lead", "a:lead", "https://smba.trafficmanager.net/teams/", "act-9", false);
        await store.SaveProgressCardAsync(card, Ct);
        await store.SaveProgressCardAsync(card with { Final = true }, Ct);
        Assert.Equal(card with { Final = true }, await store.FindProgressCardAsync("it", "pre-1", "lead", Ct));
        Assert.Equal("first", await store.GetOrAddSettingAsync("k", "first", Ct));
        Assert.Equal("first", await store.GetOrAddSettingAsync("k", "second", Ct));
    }

    [Fact]
    public async Task Conversation_references_are_cached_and_can_be_marked_gone()
    {
        var store = await CreateStoreAsync();
        var reference = new ConversationReference("msteams", "https://smba.trafficmanager.net/teams/", "a:chat-1", "personal", "t", "28:bot", "29:u", "aad-1", null, null, null, "nl-NL");
        await store.SaveConversationAsync(reference, Ct);
        var found = await store.FindPersonalConversationAsync("aad-1", Ct);
        Assert.Equal("a:chat-1", found!.Reference.ConversationId);
        Assert.True(found.Installed);
        await store.MarkConversationGoneAsync("a:chat-1", Ct);
        Assert.False((await store.FindPersonalConversationAsync("aad-1", Ct))!.Installed);
    }

    [Fact]
    public async Task Recording_a_batch_completes_and_reschedules_each_job_as_told()
    {
        var store = await CreateStoreAsync();
        await store.EnqueueAsync([Job("u1"), Job("u2"), Job("u3")], Ct);
        var leased = await store.LeaseAsync("a", 10, Time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct);
        await store.RecordAsync(
        [
            new JobUpdate(leased[0].Job.Key, new DeliveryResult(DeliveryOutcome.Delivered, null, 200, "a:u1", "9")),
            new JobUpdate(leased[1].Job.Key, new DeliveryResult(DeliveryOutcome.Throttled, "429"), Time.GetUtcNow() + TimeSpan.FromSeconds(5)),
            new JobUpdate(leased[2].Job.Key, new DeliveryResult(DeliveryOutcome.Permanent, "BadArgument", 400)),
        ], Ct);

        Assert.Equal(JobState.Delivered, (await store.FindJobAsync(leased[0].Job.Key, Ct))!.State);
        Assert.Equal((JobState.Queued, DeliveryOutcome.Throttled, 0), ((await store.FindJobAsync(leased[1].Job.Key, Ct))!.State,
            (await store.FindJobAsync(leased[1].Job.Key, Ct))!.Outcome, (await store.FindJobAsync(leased[1].Job.Key, Ct))!.Attempts));
        Assert.Equal((JobState.Failed, "BadArgument"), ((await store.FindJobAsync(leased[2].Job.Key, Ct))!.State, (await store.FindJobAsync(leased[2].Job.Key, Ct))!.Detail));
        Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(leased[1].Job.Key, Assert.Single(await store.LeaseAsync("b", 10, Time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct)).Job.Key);
    }

    [Fact]
    public async Task Personal_conversations_are_found_for_many_users_at_once_and_the_latest_serviceUrl_is_known()
    {
        var store = await CreateStoreAsync();
        Assert.Null(await store.LatestServiceUrlAsync(Ct));
        await store.SaveConversationAsync(new ConversationReference("msteams", "https://smba.trafficmanager.net/emea/", "a:1", "personal", "t", "28:b", "29:1", "aad-1", null, null, null, null), Ct);
        Time.Advance(TimeSpan.FromSeconds(1));
        await store.SaveConversationAsync(new ConversationReference("msteams", "https://smba.trafficmanager.net/amer/", "a:2", "personal", "t", "28:b", "29:2", "aad-2", null, null, null, null), Ct);

        var found = await store.FindPersonalConversationsAsync(["aad-1", "AAD-2", "aad-3"], Ct);
        Assert.Equal(["a:1", "a:2"], found.Values.Select(c => c.Reference.ConversationId).Order());
        Assert.False(found.ContainsKey("aad-3"));
        Assert.Equal("https://smba.trafficmanager.net/amer/", await store.LatestServiceUrlAsync(Ct));
    }

    [Fact]
    public async Task The_delivery_log_of_a_wave_lists_its_jobs_in_queue_order_with_their_send_and_times()
    {
        var store = await CreateStoreAsync();
        var queuedAt = Time.GetUtcNow();
        await store.EnqueueAsync([Job("u1")], Ct);
        Time.Advance(TimeSpan.FromSeconds(1));
        await store.EnqueueAsync([Job("u2"), new OutboxJob("other/pre-1/it/members|personal|u3", "other/pre-1/it/members", "other", "pre-1", "it", DeliveryKind.Personal, "u3", "nl", Time.GetUtcNow())], Ct);
        var leased = await store.LeaseAsync("a", 10, Time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct);
        Time.Advance(TimeSpan.FromSeconds(1));
        await store.CompleteAsync(Job("u1").Key, new DeliveryResult(DeliveryOutcome.BotBlocked, "ConversationBlockedByUser", 403), Ct);

        var wave = await store.GetDeliveriesAsync("it", Ct);
        Assert.Equal(["u1", "u2"], wave.Select(e => e.Target));
        Assert.Equal((JobState.Failed, DeliveryOutcome.BotBlocked, "it/pre-1/it/members"), (wave[0].State, wave[0].Outcome, wave[0].SendKey));
        Assert.Equal(queuedAt, wave[0].CreatedUtc);
        Assert.Equal(Time.GetUtcNow(), wave[0].UpdatedUtc);
        Assert.Equal(JobState.Queued, wave[1].State);
        Assert.Equal(3, leased.Count);
        Assert.Equal(["u1", "u2", "u3"], (await store.GetDeliveriesAsync(null, Ct)).Select(e => e.Target));
        Assert.Empty(await store.GetDeliveriesAsync("nowhere", Ct));
    }

    [Fact]
    public async Task Requeuing_failed_jobs_queues_each_once_with_its_attempts_reset_and_leaves_other_states_alone()
    {
        var store = await CreateStoreAsync();
        await store.EnqueueAsync([Job("u1"), Job("u2"), Job("u3")], Ct);
        var leased = await store.LeaseAsync("a", 10, Time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct);
        await store.RecordAsync(
        [
            new JobUpdate(Job("u1").Key, new DeliveryResult(DeliveryOutcome.Transient, "gave up after 6 attempts: 503", 503)),
            new JobUpdate(Job("u2").Key, new DeliveryResult(DeliveryOutcome.Delivered, null, 200, "a:u2", "7")),
            new JobUpdate(Job("u3").Key, new DeliveryResult(DeliveryOutcome.Throttled, "429"), Time.GetUtcNow() + TimeSpan.FromMinutes(5)),
        ], Ct);
        Assert.Equal(3, leased.Count);

        var due = Time.GetUtcNow() + TimeSpan.FromSeconds(2);
        Assert.Equal(1, await store.RequeueFailedAsync([Job("u1").Key, Job("u2").Key, Job("u3").Key, "no-such-job"], due, Ct));
        // A second retry (a repeated click) finds the job queued, not failed: nothing more.
        Assert.Equal(0, await store.RequeueFailedAsync([Job("u1").Key], due, Ct));

        var requeued = (await store.FindJobAsync(Job("u1").Key, Ct))!;
        Assert.Equal((JobState.Queued, 0), (requeued.State, requeued.Attempts));
        Assert.Equal(JobState.Delivered, (await store.FindJobAsync(Job("u2").Key, Ct))!.State);
        Assert.Empty(await store.LeaseAsync("b", 10, Time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct));
        Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(Job("u1").Key, Assert.Single(await store.LeaseAsync("b", 10, Time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct)).Job.Key);
    }
}
