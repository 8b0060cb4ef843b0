using Microsoft.Extensions.Options;
using TeamsRolloutBot.Graph;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Recipients;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Delivery;

/// <summary>
/// Turns the plan's due sends into outbox jobs, once: every send is registered by its stable key, and when it is due
/// its recipients are resolved and enqueued under the idempotency key (send key = wave, message, department, audience;
/// plus the recipient). A send that is more than <c>Delivery:GraceWindow</c> late (the bot was down) is not sent; it is
/// recorded as missed and reported to the leads. A send whose wave, message or department left the plan file is
/// cancelled (<see cref="RemovedSendCanceller"/>), never sent.
/// </summary>
public sealed partial class DeliveryScheduler(
    DeliveryPlanSource plans,
    IDeliveryStore store,
    RecipientResolver recipients,
    DeliverySender sender,
    DeliveryContent content,
    DeliveryDispatcher dispatcher,
    LeadMessenger leads,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<DeliveryScheduler> logger,
    ILeadership leadership,
    IWaveLocks waveLocks,
    RemovedSendCanceller removed,
    Commands.WaveApprovals approvals) : BackgroundService
{
    private const int BatchSize = 1000;
    private readonly DeliveryOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset? next = null;
            try
            {
                // Several instances (AzureStorage): only the leader expands sends and reports missed ones.
                await leadership.WaitForLeadershipAsync(stoppingToken);
                next = await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogTickFailed(logger, ex);
            }
            var wait = _options.SchedulerInterval;
            if (next is { } due && due - time.GetUtcNow() < wait)
            {
                wait = due - time.GetUtcNow();
            }
            try
            {
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass: register the plan's sends, expand the due ones, report missed ones. Returns the next due time.</summary>
    public async Task<DateTimeOffset?> RunOnceAsync(CancellationToken cancellationToken)
    {
        var plan = await plans.CurrentAsync(cancellationToken);
        if (plan is null)
        {
            return null;
        }
        sender.Departments = plan.Departments;
        // What a plan edit removed is cancelled first (also done on the reload itself); a send of an older snapshot of the
        // plan that the file no longer has is not registered again.
        await removed.CancelRemovedAsync(cancellationToken);
        await store.RegisterSendsAsync([.. plan.Sends.Where(s => !content.IsRemoved(s.Key))], cancellationToken);
        var inPlan = plan.Sends.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        // approval: required (Commands/WaveApprovals): cards ahead, reminders, and the waves whose sends wait.
        var verdicts = await approvals.PassAsync(plan, now, cancellationToken);
        foreach (var record in await store.GetDueSendsAsync(now, cancellationToken))
        {
            var send = record.Send;
            if (!inPlan.Contains(send.Key))
            {
                continue;
            }
            var sendNow = send.Key.Contains("/now-", StringComparison.Ordinal);
            if (!sendNow && verdicts.Waiting.Contains(send.WaveId))
            {
                // Not approved yet: it stays pending (never missed for waiting) and goes out, late, once approved.
                continue;
            }
            // A send held for approval is late from the approval on, not from its planned time.
            var late = now - (!sendNow && verdicts.ApprovedAt.TryGetValue(send.WaveId, out var approvedAt) && approvedAt > send.DueUtc ? approvedAt : send.DueUtc);
            if (late > _options.GraceWindow)
            {
                await store.MarkSendAsync(send.Key, PlannedSendState.Missed, 0,
                    $"due {send.DueUtc:u}, {late.TotalHours:0.#} h late: beyond Delivery:GraceWindow ({_options.GraceWindow}); not sent", cancellationToken);
                LogMissed(logger, send.Key, send.DueUtc);
                continue;
            }
            try
            {
                // The wave's lock keeps a lead's cancel or pause from interleaving with the expansion; under it the wave's
                // state and the send's own state are read again (another pass or instance may have expanded it meanwhile).
                await using var waveLock = await waveLocks.AcquireAsync(send.WaveId, cancellationToken);
                if ((await plans.CurrentAsync(cancellationToken))?.Sends.Any(s => s.Key == send.Key) != true
                    || (await store.FindSendAsync(send.Key, cancellationToken))?.State != PlannedSendState.Pending)
                {
                    continue;
                }
                var count = await ExpandAsync(send, plan, cancellationToken);
                await store.MarkSendAsync(send.Key, PlannedSendState.Expanded, count.Jobs, count.Problem, cancellationToken);
                LogExpanded(logger, send.Key, count.Jobs);
                dispatcher.Wake();
            }
            catch (Exception ex) when (ex is GraphCallException or ConnectorException)
            {
                // The directory or roster could not be read: the jobs enqueued so far stay, the rest follow next pass.
                LogResolveFailed(logger, ex, send.Key);
            }
        }
        foreach (var missed in await store.GetUnreportedMissedAsync(cancellationToken))
        {
            if (await leads.ReportMissedAsync(plan, missed, cancellationToken))
            {
                await store.MarkMissedReportedAsync(missed.Send.Key, time.GetUtcNow(), cancellationToken);
            }
        }
        return plan.Sends.Where(s => s.DueUtc > now).Select(s => (DateTimeOffset?)s.DueUtc).Min();
    }

    private async Task<(int Jobs, string? Problem)> ExpandAsync(PlannedSend send, DeliveryPlan plan, CancellationToken cancellationToken)
    {
        if (!plan.Departments.TryGetValue(send.DepartmentId, out var department))
        {
            return (0, $"department '{send.DepartmentId}' is not in the plan");
        }
        if (send.Audience == SendAudience.Channel)
        {
            if (string.IsNullOrEmpty(department.ChannelId))
            {
                return (0, $"department '{department.Id}' has no channel");
            }
            await EnqueueAsync([Job(send, DeliveryKind.Channel, department.ChannelId, department.Language ?? plan.DefaultLanguage)], cancellationToken);
            return (1, null);
        }
        var kind = send.Audience == SendAudience.Email ? DeliveryKind.Email : DeliveryKind.Personal;
        var batch = new List<OutboxJob>(BatchSize);
        var problems = new List<(string Key, DeliveryResult Result)>();
        var total = 0;
        await foreach (var recipient in recipients.ResolveAsync(department, kind == DeliveryKind.Email, cancellationToken))
        {
            var target = kind == DeliveryKind.Email ? recipient.Mail ?? recipient.Id : recipient.Id;
            // A member's own language when the plan has it, else the department's (its channel language), else the plan's.
            var language = recipient.Language is { } own && (plan.Languages is not { } offered || offered.Contains(own)) ? own : department.Language ?? plan.DefaultLanguage;
            var job = Job(send, kind, target, language);
            batch.Add(job);
            if (recipient.Problem is not null)
            {
                problems.Add((job.Key, new DeliveryResult(DeliveryOutcome.RecipientGone, recipient.Problem)));
            }
            if (batch.Count == BatchSize)
            {
                total += batch.Count;
                await EnqueueAsync(batch, cancellationToken);
                batch.Clear();
            }
        }
        total += batch.Count;
        await EnqueueAsync(batch, cancellationToken);
        foreach (var (key, result) in problems)
        {
            await store.CompleteAsync(key, result, cancellationToken);
        }
        return (total, total == 0 ? $"department '{department.Id}' has no members to send to" : null);
    }

    private async Task EnqueueAsync(IReadOnlyCollection<OutboxJob> jobs, CancellationToken cancellationToken)
    {
        var added = await store.EnqueueAsync(jobs, cancellationToken);
        DeliveryTelemetry.Enqueued.Add(added);
        if (added > 0)
        {
            dispatcher.Wake();
        }
    }

    /// <summary>The job of one recipient; its key is the idempotency key (send key + kind + target).</summary>
    public static OutboxJob Job(PlannedSend send, DeliveryKind kind, string target, string? language) =>
        new($"{send.Key}|{kind.ToString().ToLowerInvariant()}|{target.ToLowerInvariant()}", send.Key, send.WaveId, send.MessageId,
            send.DepartmentId, kind, target, language, send.DueUtc);

    [LoggerMessage(EventId = 6000, Level = LogLevel.Error, Message = "Scheduler pass failed; retrying at the next interval.")]
    private static partial void LogTickFailed(ILogger logger, Exception ex);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Send {Send} (due {Due:O}) is beyond the grace window: recorded as missed, not sent.")]
    private static partial void LogMissed(ILogger logger, string send, DateTimeOffset due);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Send {Send}: {Jobs} jobs in the outbox.")]
    private static partial void LogExpanded(ILogger logger, string send, int jobs);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Send {Send}: resolving recipients failed; retrying at the next pass.")]
    private static partial void LogResolveFailed(ILogger logger, Exception ex, string send);
}
