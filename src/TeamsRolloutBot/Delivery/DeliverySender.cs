using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Feedback.Replies;
using TeamsRolloutBot.Graph;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Delivery;

/// <summary>
/// Makes one attempt at one job: a new thread in a channel, a 1:1 message (finding or creating the chat, installing
/// the app through Graph when the user lacks it), or an e-mail through Graph, paced to Teams' limits. Every attempt
/// ends in one <see cref="DeliveryStep"/>; nothing is dropped silently.
/// </summary>
public sealed partial class DeliverySender(
    IDeliveryStore store,
    ConnectorClient connector,
    GraphGateway graph,
    DeliveryContent content,
    TenantPacer tenant,
    ConversationPacer conversations,
    IOptions<DeliveryOptions> options,
    IOptions<BotOptions> bot,
    TimeProvider time,
    ThreadRootRecorder? threads = null,
    ISentCardStore? sentCards = null,
    ILogger<DeliverySender>? logger = null)
{
    private readonly ConcurrentDictionary<string, PlannedSend?> _sends = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _frozen = new(StringComparer.Ordinal);
    private readonly DeliveryOptions _options = options.Value;

    /// <summary>The plan's department targets, for the team of a channel (set by the scheduler).</summary>
    public IReadOnlyDictionary<string, DepartmentTarget> Departments { get; set; } = new Dictionary<string, DepartmentTarget>();

    /// <summary>
    /// One attempt. <paramref name="stop"/> cancels waiting for a slot, never a call already made. When
    /// <paramref name="prefetched"/> is true, <paramref name="personal"/> is the user's stored 1:1 chat (or null for none),
    /// looked up with the rest of the batch.
    /// </summary>
    public async Task<DeliveryStep> SendAsync(LeasedJob leased, CancellationToken stop, StoredConversation? personal = null, bool prefetched = false)
    {
        var job = leased.Job;
        var send = await SendOfAsync(job.SendKey, stop);
        if (send is null)
        {
            return DeliveryStep.Done(DeliveryOutcome.Permanent, $"planned send '{job.SendKey}' is not in the store");
        }
        // A job of the plan file whose message, wave or department left the plan is never sent (the scheduler cancels
        // the rest of its send on the reload; this catches a job leased before that).
        if (content.IsRemoved(send.Key))
        {
            return DeliveryStep.Done(DeliveryOutcome.Skipped, DeliveryContent.RemovedFromPlan);
        }
        var frozen = await FrozenAsync(send, stop);
        if (frozen is null && content.IsRemoved(send.Key))
        {
            return DeliveryStep.Done(DeliveryOutcome.Skipped, DeliveryContent.RemovedFromPlan);
        }
        try
        {
            return job.Kind switch
            {
                DeliveryKind.Channel => await SendToChannelAsync(leased, send, frozen, stop),
                DeliveryKind.Personal => await SendPersonalAsync(leased, send, frozen, prefetched ? personal : await store.FindPersonalConversationAsync(job.Target, stop), stop),
                DeliveryKind.Email => await SendEmailAsync(leased, send, frozen, stop),
                _ => DeliveryStep.Done(DeliveryOutcome.Permanent, $"unknown kind {job.Kind}"),
            };
        }
        catch (Exception ex) when (ex is Cards.CardTemplateException or ArgumentException)
        {
            return DeliveryStep.Done(DeliveryOutcome.Permanent, $"the card could not be rendered: {ex.Message}");
        }
    }

    private async Task<DeliveryStep> SendToChannelAsync(LeasedJob leased, PlannedSend send, string? frozen, CancellationToken stop)
    {
        var channelId = leased.Job.Target;
        var reference = await store.FindConversationAsync(channelId, stop);
        if (reference is null && Departments.TryGetValue(leased.Job.DepartmentId, out var department) && department.TeamId is { } teamId)
        {
            reference = await store.FindConversationAsync(teamId, stop);
        }
        var serviceUrl = reference?.Reference.ServiceUrl ?? await DefaultServiceUrlAsync(stop);
        var tenantId = reference?.Reference.TenantId ?? bot.Value.MicrosoftAppTenantId ?? "";
        await tenant.WaitAsync(stop);
        await conversations.WaitAsync(channelId, stop);
        var activity = content.RenderTeams(send, leased.Job.Language, frozen);
        var result = await connector.CreateChannelThreadAsync(serviceUrl, channelId, tenantId, activity, CancellationToken.None);
        if (result.IsSuccess)
        {
            await RecordSentAsync(leased, send, serviceUrl, result.Value?.Id, result.Value?.ActivityId ?? ThreadReplyHandler.RootOf(result.Value?.Id), activity);
            if (threads is not null)
            {
                // Post-enrollment posts (and collectReplies messages) are tracked: their thread replies are feedback.
                var rootId = result.Value?.ActivityId ?? ThreadReplyHandler.RootOf(result.Value?.Id);
                var teamOf = Departments.TryGetValue(leased.Job.DepartmentId, out var target) ? target.TeamId : null;
                await threads.RecordAsync(leased.Job.WaveId, leased.Job.MessageId, leased.Job.DepartmentId, send.Phase, channelId,
                    reference?.Reference.TeamId ?? teamOf, reference?.Reference.TeamAadGroupId, rootId, CancellationToken.None);
            }
            return new DeliveryStep(new DeliveryResult(DeliveryOutcome.Delivered, null, (int?)result.StatusCode, result.Value?.Id, result.Value?.ActivityId));
        }
        var step = FromConnector(leased, result.Outcome, result.StatusCode, result.ErrorCode, result.RetryAfter);
        return result.Outcome == ConnectorOutcome.RecipientGone
            ? step with { Result = step.Result with { Detail = $"the app is not installed in the team of {channelId} ({result.ErrorCode})" } }
            : step;
    }

    private async Task<DeliveryStep> SendPersonalAsync(LeasedJob leased, PlannedSend send, string? frozen, StoredConversation? stored, CancellationToken stop)
    {
        var userId = leased.Job.Target;
        ConversationReference reference;
        if (stored is { Installed: true })
        {
            reference = stored.Reference;
        }
        else
        {
            var serviceUrl = stored?.Reference.ServiceUrl ?? await DefaultServiceUrlAsync(stop);
            var tenantId = stored?.Reference.TenantId ?? bot.Value.MicrosoftAppTenantId ?? "";
            var botId = stored?.Reference.BotId ?? "28:" + (bot.Value.MicrosoftAppId ?? "bot");
            await tenant.WaitAsync(stop);
            var created = await connector.CreatePersonalConversationAsync(serviceUrl, botId, userId, tenantId, CancellationToken.None);
            if (!created.IsSuccess || created.Value?.Id is not { Length: > 0 } conversationId)
            {
                var notInstalled = created.Outcome == ConnectorOutcome.RecipientGone
                    || (created.Outcome == ConnectorOutcome.Permanent && (int?)created.StatusCode is 403 or 404);
                return notInstalled
                    ? await InstallAsync(leased, $"no 1:1 chat with the bot ({(int?)created.StatusCode} {created.ErrorCode})", stop)
                    : FromConnector(leased, created.IsSuccess ? ConnectorOutcome.Transient : created.Outcome, created.StatusCode,
                        created.IsSuccess ? "create conversation returned no id" : created.ErrorCode, created.RetryAfter);
            }
            reference = new ConversationReference("msteams", created.Value.ServiceUrl ?? serviceUrl, conversationId, "personal", tenantId,
                botId, userId, userId, null, null, null, leased.Job.Language);
            await store.SaveConversationAsync(reference, CancellationToken.None);
        }

        await tenant.WaitAsync(stop);
        var card = content.RenderTeams(send, leased.Job.Language, frozen);
        var result = await connector.SendToConversationAsync(reference.ServiceUrl, reference.ConversationId, card, CancellationToken.None);
        if (result.IsSuccess)
        {
            await RecordSentAsync(leased, send, reference.ServiceUrl, reference.ConversationId, result.Value?.Id, card);
            return new DeliveryStep(new DeliveryResult(DeliveryOutcome.Delivered, null, (int?)result.StatusCode, reference.ConversationId, result.Value?.Id));
        }
        if (result.Outcome == ConnectorOutcome.RecipientGone && stored is { Installed: true } && leased.Attempts + 1 < _options.MaxAttempts)
        {
            // The cached chat is gone (app removed, chat deleted): forget it, and the next attempt opens a new one.
            await store.MarkConversationGoneAsync(reference.ConversationId, CancellationToken.None);
            return new DeliveryStep(new DeliveryResult(DeliveryOutcome.RecipientGone, $"cached conversation is gone ({result.ErrorCode}); reopening", (int?)result.StatusCode),
                time.GetUtcNow(), CountAttempt: true);
        }
        return FromConnector(leased, result.Outcome, result.StatusCode, result.ErrorCode, result.RetryAfter);
    }

    /// <summary>
    /// Keeps where the card went and its fingerprint, so a lead can update or retract it later. A failure here is logged,
    /// never turned into a failed send: the card is in Teams and must not be sent twice.
    /// </summary>
    private async Task RecordSentAsync(LeasedJob leased, PlannedSend send, string serviceUrl, string? conversationId, string? activityId, Protocol.Activity activity)
    {
        if (sentCards is null || string.IsNullOrEmpty(conversationId) || string.IsNullOrEmpty(activityId))
        {
            return;
        }
        var job = leased.Job;
        try
        {
            await sentCards.RecordSentAsync(new SentCard(job.Key, job.SendKey, job.WaveId, job.MessageId, job.DepartmentId, job.Kind, job.Target,
                job.Language, serviceUrl, conversationId, activityId, CardFingerprint.Of(activity), time.GetUtcNow()), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (logger is not null)
            {
                LogSentCardNotRecorded(logger, ex, job.Key);
            }
        }
    }

    [LoggerMessage(EventId = 6180, Level = LogLevel.Warning, Message = "Job {Job} was delivered but its sent card could not be recorded; it cannot be updated or retracted.")]
    private static partial void LogSentCardNotRecorded(ILogger logger, Exception ex, string job);

    private async Task<DeliveryStep> InstallAsync(LeasedJob leased, string why, CancellationToken stop)
    {
        if (!graph.IsEnabled)
        {
            return DeliveryStep.Done(DeliveryOutcome.RecipientGone, $"{why}; the app is not installed for this user and there is no Graph to install it");
        }
        if (leased.InstallRequested)
        {
            return DeliveryStep.Done(DeliveryOutcome.RecipientGone, $"{why}, also after installing the app through Graph");
        }
        var install = await graph.InstallAppForUserAsync(leased.Job.Target, stop);
        var now = time.GetUtcNow();
        return install.Outcome switch
        {
            GraphOutcome.Success => new DeliveryStep(new DeliveryResult(DeliveryOutcome.RecipientGone, $"{why}; installed the app through Graph, sending after the install"),
                now + _options.InstallRetryDelay, InstallRequested: true),
            GraphOutcome.Throttled => new DeliveryStep(new DeliveryResult(DeliveryOutcome.Throttled, "Graph install throttled", install.Status),
                now + (install.RetryAfter ?? TimeSpan.FromSeconds(30))),
            GraphOutcome.Transient => Retry(leased, new DeliveryResult(DeliveryOutcome.Transient, $"Graph install failed: {install.Error}", install.Status)),
            GraphOutcome.NotFound => DeliveryStep.Done(DeliveryOutcome.RecipientGone, $"user not found in the directory ({install.Error})", install.Status),
            _ => DeliveryStep.Done(DeliveryOutcome.Permanent, $"installing the app through Graph failed: {install.Error}", install.Status),
        };
    }

    private async Task<DeliveryStep> SendEmailAsync(LeasedJob leased, PlannedSend send, string? frozen, CancellationToken stop)
    {
        if (!graph.IsEnabled)
        {
            return DeliveryStep.Done(DeliveryOutcome.Skipped, "e-mail is not sent without Graph (local Playground mode)");
        }
        if (string.IsNullOrWhiteSpace(_options.MailFrom))
        {
            return DeliveryStep.Done(DeliveryOutcome.Permanent, "Delivery:MailFrom is not set: there is no mailbox to send e-mail from");
        }
        if (!leased.Job.Target.Contains('@', StringComparison.Ordinal))
        {
            return DeliveryStep.Done(DeliveryOutcome.Permanent, "the user has no mail address in the directory");
        }
        var (subject, html) = content.RenderEmail(send, leased.Job.Language, frozen);
        var result = await graph.SendMailAsync(_options.MailFrom, leased.Job.Target, subject, html, stop);
        return result.Outcome switch
        {
            GraphOutcome.Success => DeliveryStep.Done(DeliveryOutcome.Delivered, status: 202),
            GraphOutcome.Throttled => new DeliveryStep(new DeliveryResult(DeliveryOutcome.Throttled, result.Error, result.Status),
                time.GetUtcNow() + (result.RetryAfter ?? TimeSpan.FromSeconds(30))),
            GraphOutcome.Transient => Retry(leased, new DeliveryResult(DeliveryOutcome.Transient, result.Error, result.Status)),
            GraphOutcome.NotFound => DeliveryStep.Done(DeliveryOutcome.RecipientGone, result.Error, result.Status),
            _ => DeliveryStep.Done(DeliveryOutcome.Permanent, result.Error, result.Status),
        };
    }

    private DeliveryStep FromConnector(LeasedJob leased, ConnectorOutcome outcome, System.Net.HttpStatusCode? status, string? code, TimeSpan? retryAfter)
    {
        var statusCode = (int?)status;
        return outcome switch
        {
            ConnectorOutcome.Delivered => DeliveryStep.Done(DeliveryOutcome.Delivered, null, statusCode),
            ConnectorOutcome.Throttled => new DeliveryStep(new DeliveryResult(DeliveryOutcome.Throttled, code, statusCode),
                time.GetUtcNow() + (retryAfter is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1))),
            ConnectorOutcome.RecipientGone => DeliveryStep.Done(DeliveryOutcome.RecipientGone, code, statusCode),
            ConnectorOutcome.BotBlocked => DeliveryStep.Done(DeliveryOutcome.BotBlocked, code, statusCode),
            ConnectorOutcome.Transient => Retry(leased, new DeliveryResult(DeliveryOutcome.Transient, code, statusCode)),
            _ => DeliveryStep.Done(DeliveryOutcome.Permanent, code, statusCode),
        };
    }

    /// <summary>A transient failure: back off exponentially with jitter, or give up after <c>Delivery:MaxAttempts</c>.</summary>
    private DeliveryStep Retry(LeasedJob leased, DeliveryResult result)
    {
        var attempt = leased.Attempts + 1;
        if (attempt >= _options.MaxAttempts)
        {
            return new DeliveryStep(result with { Detail = $"gave up after {attempt} attempts: {result.Detail}" });
        }
        var backoff = _options.RetryBaseDelay * Math.Pow(2, Math.Min(leased.Attempts, 10));
        if (backoff > TimeSpan.FromMinutes(10))
        {
            backoff = TimeSpan.FromMinutes(10);
        }
#pragma warning disable CA5394 // jitter, not security
        var jittered = backoff * (0.5 + Random.Shared.NextDouble());
#pragma warning restore CA5394
        return new DeliveryStep(result, time.GetUtcNow() + jittered, CountAttempt: true);
    }

    private async ValueTask<PlannedSend?> SendOfAsync(string sendKey, CancellationToken cancellationToken)
    {
        if (_sends.TryGetValue(sendKey, out var cached))
        {
            return cached;
        }
        var record = await store.FindSendAsync(sendKey, cancellationToken);
        if (record is not null)
        {
            _sends[sendKey] = record.Send;
        }
        return record?.Send;
    }

    /// <summary>
    /// The content the send's fan-out renders from: the one stored with the send when its first job was attempted, or
    /// else the current plan's, stored now (the first instance to store it wins). Null when the plan file does not have
    /// the send (removed, or a plan given in code).
    /// </summary>
    private async ValueTask<string?> FrozenAsync(PlannedSend send, CancellationToken cancellationToken)
    {
        if (_frozen.TryGetValue(send.Key, out var cached))
        {
            return cached;
        }
        var stored = (await store.FindSendAsync(send.Key, cancellationToken))?.Content;
        if (stored is null && content.Capture(send) is { } current)
        {
            stored = await store.FreezeContentAsync(send.Key, current, cancellationToken);
        }
        if (stored is not null)
        {
            _frozen[send.Key] = stored;
        }
        return stored;
    }

    /// <summary>
    /// Where to send when no stored conversation names a serviceUrl: Delivery:DefaultServiceUrl, except in local
    /// Playground mode, where it is the Playground's own (the serviceUrl of the last conversation it had with the bot).
    /// </summary>
    private async Task<string> DefaultServiceUrlAsync(CancellationToken cancellationToken) =>
        bot.Value.LocalPlayground && await store.LatestServiceUrlAsync(cancellationToken) is { } local ? local : _options.DefaultServiceUrl;
}
