using System.Globalization;
using System.Text;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Delivery;

/// <summary>
/// Carries out the leads' corrections of sent cards: each card is replaced in place (UpdateActivity, re-rendered from the
/// current plan in the card's language) or deleted (DeleteActivity), paced like a send (<see cref="TenantPacer"/>,
/// <see cref="ConversationPacer"/>). Every card ends in one <see cref="CorrectionOutcome"/>, recorded in
/// <see cref="ISentCardStore"/>; the lead sees the progress in one message updated in place, then the outcome per
/// recipient; the result is audited. Requests are stored (<see cref="ISentCardStore.AddCorrectionAsync"/>): the leader
/// picks up unfinished ones at start and on its loop, so a restart carries on with the cards not done yet. Survey
/// answers are not touched: an updated survey card keeps its refresh action, so a person who answered still gets their
/// thank-you card.
/// </summary>
public sealed partial class CorrectionRunner(
    ISentCardStore cards,
    IDeliveryStore store,
    DeliveryContent content,
    ConnectorClient connector,
    TenantPacer tenant,
    ConversationPacer conversations,
    IAuditLog audit,
    CommandTexts texts,
    ILeadership leadership,
    TimeProvider time,
    ILogger<CorrectionRunner> logger) : BackgroundService
{
    private const int ProgressEvery = 25;
    private const int MaxLinesShown = 20;
    private const int MaxAttempts = 3;

    // A request stored by another instance (or before a restart) is picked up on this poll; one stored here wakes the loop at once.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>
    /// Stores a correction (the request and, on each card, that it is pending) and wakes the runner; it runs after the
    /// ones stored before it, and a restart carries on with the cards not done yet.
    /// </summary>
    public async Task<PendingCorrection> RequestAsync(CorrectionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pending = new PendingCorrection(Guid.NewGuid().ToString("N"), request.Retract, request.MessageId, request.Command, request.UserId,
            request.UserName, request.ConversationType, request.ReplyServiceUrl, request.ReplyConversationId, request.Language, time.GetUtcNow());
        await cards.AddCorrectionAsync(pending, [.. request.Cards.Select(c => c.JobKey)], cancellationToken);
        _wake.Release();
        return pending;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // One instance corrects: two would PUT or DELETE the same cards.
            await leadership.WaitForLeadershipAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                await RunPendingAsync(stoppingToken);
                using var poll = new CancellationTokenSource(PollInterval, time);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(poll.Token, stoppingToken);
                try
                {
                    await _wake.WaitAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The poll interval passed: look for requests stored elsewhere.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; the cards not done stay pending and the next start carries on.
        }
    }

    /// <summary>Runs every unfinished correction, oldest first (at start, on a wake-up and on each poll).</summary>
    internal async Task RunPendingAsync(CancellationToken stop)
    {
        IReadOnlyList<PendingCorrection> pending;
        try
        {
            pending = await cards.GetUnfinishedCorrectionsAsync(stop);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCorrectionFailed(logger, ex, "(reading the pending corrections)");
            return;
        }
        foreach (var request in pending)
        {
            if (!leadership.IsLeader)
            {
                return;
            }
            try
            {
                await RunAsync(request, stop);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCorrectionFailed(logger, ex, request.Command);
            }
        }
    }

    /// <summary>Runs one stored correction over its cards still pending; returns the outcome counts over all its cards.</summary>
    internal async Task<IReadOnlyDictionary<CorrectionOutcome, int>> RunAsync(PendingCorrection request, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(request);
        var language = request.Language;
        var covered = await cards.GetCorrectionCardsAsync(request.RequestId, stop);
        var todo = covered.Where(c => c.CorrectionPending).ToList();
        var progressId = request.ProgressActivityId;
        var done = covered.Count - todo.Count;
        if (progressId is null)
        {
            var progress = await connector.SendToConversationAsync(request.ReplyServiceUrl, request.ReplyConversationId,
                Activity.CreateMessage(texts.Format(language, "correct.progress", request.Command, done, covered.Count)), CancellationToken.None);
            progressId = progress.IsSuccess ? progress.Value?.Id : null;
            if (progressId is not null)
            {
                await cards.SetCorrectionProgressAsync(request.RequestId, progressId, CancellationToken.None);
            }
        }
        else if (done > 0)
        {
            LogCorrectionResumed(logger, request.Command, done, covered.Count);
        }
        foreach (var card in todo)
        {
            var (outcome, fingerprint, detail) = await CorrectAsync(request, card, stop);
            await cards.RecordCorrectionAsync(card, outcome, fingerprint, detail, time.GetUtcNow(), CancellationToken.None);
            LogCardCorrected(logger, card.JobKey, outcome, detail ?? "");
            done++;
            if (progressId is not null && done % ProgressEvery == 0 && done < covered.Count)
            {
                await connector.UpdateActivityAsync(request.ReplyServiceUrl, request.ReplyConversationId, progressId,
                    Activity.CreateMessage(texts.Format(language, "correct.progress", request.Command, done, covered.Count)), CancellationToken.None);
            }
        }

        // The outcome covers every card of the request, also those done before a restart.
        var outcomes = await cards.GetCorrectionCardsAsync(request.RequestId, CancellationToken.None);
        var counts = new Dictionary<CorrectionOutcome, int>();
        var lines = new List<string>();
        foreach (var card in outcomes)
        {
            counts[card.State] = counts.GetValueOrDefault(card.State) + 1;
            lines.Add($"- {Recipient(card, language)}: {texts.Get(language, "correct.outcome." + card.State)}{(card.Detail is null || card.State is CorrectionOutcome.Updated or CorrectionOutcome.Retracted ? "" : " (" + card.Detail + ")")}");
        }
        var summary = texts.Format(language, "correct.done", request.Command, counts.GetValueOrDefault(CorrectionOutcome.Updated),
            counts.GetValueOrDefault(CorrectionOutcome.Retracted), counts.GetValueOrDefault(CorrectionOutcome.Gone),
            counts.GetValueOrDefault(CorrectionOutcome.Blocked), counts.GetValueOrDefault(CorrectionOutcome.Failed));
        var text = new StringBuilder(summary);
        foreach (var line in lines.Take(MaxLinesShown))
        {
            text.Append("\n\n").Append(line);
        }
        if (lines.Count > MaxLinesShown)
        {
            text.Append("\n\n").Append(texts.Format(language, "correct.more", lines.Count - MaxLinesShown));
        }
        var final = Activity.CreateMessage(text.ToString());
        var shown = progressId is not null
            && (await connector.UpdateActivityAsync(request.ReplyServiceUrl, request.ReplyConversationId, progressId, final, CancellationToken.None)).IsSuccess;
        if (!shown)
        {
            await connector.SendToConversationAsync(request.ReplyServiceUrl, request.ReplyConversationId, Activity.CreateMessage(text.ToString()), CancellationToken.None);
        }
        await cards.FinishCorrectionAsync(request.RequestId, time.GetUtcNow(), CancellationToken.None);
        var failed = counts.GetValueOrDefault(CorrectionOutcome.Failed) > 0;
        await audit.WriteAsync(request.UserId, request.UserName, request.ConversationType, request.Command, failed ? AuditResults.Failed : AuditResults.Done,
            string.Join(", ", counts.OrderBy(c => c.Key).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Value} {c.Key.ToString().ToLowerInvariant()}"))),
            CancellationToken.None);
        return counts;
    }

    private async Task<(CorrectionOutcome Outcome, string? Fingerprint, string? Detail)> CorrectAsync(PendingCorrection request, SentCard card, CancellationToken stop)
    {
        Activity? replacement = null;
        if (request.Retract && !card.IsLive)
        {
            // Deleted already (by an earlier retract, or before a restart): never deleted twice.
            return (card.State, null, card.Detail);
        }
        if (!request.Retract)
        {
            if (await store.FindSendAsync(card.SendKey, stop) is not { } record)
            {
                return (CorrectionOutcome.Failed, null, "the planned send is not in the store");
            }
            try
            {
                replacement = content.RenderTeams(record.Send, card.Language);
            }
            catch (Exception ex) when (ex is Cards.CardTemplateException or ArgumentException)
            {
                return (CorrectionOutcome.Failed, null, "the card could not be rendered: " + ex.Message);
            }
            if (card.State == CorrectionOutcome.Updated && card.Fingerprint == CardFingerprint.Of(replacement))
            {
                // Updated to this very card already (an update repeated, or carried on after a restart): not PUT again.
                return (CorrectionOutcome.Updated, null, null);
            }
        }
        for (var attempt = 1; ; attempt++)
        {
            await tenant.WaitAsync(stop);
            await conversations.WaitAsync(card.ConversationId, stop);
            ConnectorOutcome outcome;
            int? status;
            string? code;
            TimeSpan? retryAfter;
            if (replacement is not null)
            {
                var result = await connector.UpdateActivityAsync(card.ServiceUrl, card.ConversationId, card.ActivityId, replacement, CancellationToken.None);
                if (result.IsSuccess)
                {
                    return (CorrectionOutcome.Updated, CardFingerprint.Of(replacement), null);
                }
                (outcome, status, code, retryAfter) = (result.Outcome, (int?)result.StatusCode, result.ErrorCode, result.RetryAfter);
            }
            else
            {
                var result = await connector.DeleteActivityAsync(card.ServiceUrl, card.ConversationId, card.ActivityId, CancellationToken.None);
                if (result.IsSuccess)
                {
                    // The connector client counts a 404 as deleted; the lead is told it was gone already.
                    return result.StatusCode == System.Net.HttpStatusCode.NotFound
                        ? (CorrectionOutcome.Gone, null, "404")
                        : (CorrectionOutcome.Retracted, null, null);
                }
                (outcome, status, code, retryAfter) = (result.Outcome, (int?)result.StatusCode, result.ErrorCode, result.RetryAfter);
            }
            var detail = status is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s} {code}") : code;
            if (status == 404 || (outcome == ConnectorOutcome.RecipientGone && status != 403))
            {
                return (CorrectionOutcome.Gone, null, detail);
            }
            if (status == 403 || outcome == ConnectorOutcome.BotBlocked)
            {
                return (CorrectionOutcome.Blocked, null, detail);
            }
            if (outcome is ConnectorOutcome.Throttled or ConnectorOutcome.Transient && attempt < MaxAttempts)
            {
                if (outcome == ConnectorOutcome.Throttled)
                {
                    tenant.Pause(retryAfter is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1));
                }
                continue;
            }
            return (CorrectionOutcome.Failed, null, detail);
        }
    }

    private string Recipient(SentCard card, string language) =>
        card.Kind == DeliveryKind.Channel ? texts.Format(language, "correct.channel", card.DepartmentId) : card.Target;

    [LoggerMessage(EventId = 6181, Level = LogLevel.Error, Message = "The correction {Command} failed unexpectedly.")]
    private static partial void LogCorrectionFailed(ILogger logger, Exception ex, string command);

    [LoggerMessage(EventId = 6183, Level = LogLevel.Information, Message = "Carrying on with the correction {Command}: {Done} of {Total} card(s) were done before.")]
    private static partial void LogCorrectionResumed(ILogger logger, string command, int done, int total);

    [LoggerMessage(EventId = 6182, Level = LogLevel.Information, Message = "Sent card {Job}: {Outcome} {Detail}.")]
    private static partial void LogCardCorrected(ILogger logger, string job, CorrectionOutcome outcome, string detail);
}
