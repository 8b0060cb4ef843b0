using System.Globalization;
using System.Text;
using System.Threading.Channels;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Delivery;

/// <summary>
/// Carries out the leads' corrections of sent cards: each card is replaced in place (UpdateActivity, re-rendered from the
/// current plan in the card's language) or deleted (DeleteActivity), paced like a send (<see cref="TenantPacer"/>,
/// <see cref="ConversationPacer"/>). Every card ends in one <see cref="CorrectionOutcome"/>, recorded in
/// <see cref="ISentCardStore"/>; the lead sees the progress in one message updated in place, then the outcome per
/// recipient; the result is audited. Survey answers are not touched: an updated survey card keeps its refresh action,
/// so a person who answered still gets their thank-you card.
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
    TimeProvider time,
    ILogger<CorrectionRunner> logger) : BackgroundService
{
    private const int ProgressEvery = 25;
    private const int MaxLinesShown = 20;
    private const int MaxAttempts = 3;
    private readonly Channel<CorrectionRequest> _queue = Channel.CreateUnbounded<CorrectionRequest>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues a correction; it runs after the ones queued before it.</summary>
    public void Enqueue(CorrectionRequest request) => _queue.Writer.TryWrite(request);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var request in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await RunAsync(request, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogCorrectionFailed(logger, ex, request.Command);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; a correction not started is lost with the process (the lead types it again).
        }
    }

    /// <summary>Runs one correction; returns the outcome counts.</summary>
    internal async Task<IReadOnlyDictionary<CorrectionOutcome, int>> RunAsync(CorrectionRequest request, CancellationToken stop)
    {
        var language = request.Language;
        var counts = new Dictionary<CorrectionOutcome, int>();
        var lines = new List<string>();
        var progress = await connector.SendToConversationAsync(request.ReplyServiceUrl, request.ReplyConversationId,
            Activity.CreateMessage(texts.Format(language, "correct.progress", request.Command, 0, request.Cards.Count)), CancellationToken.None);
        var progressId = progress.IsSuccess ? progress.Value?.Id : null;
        var done = 0;
        foreach (var card in request.Cards)
        {
            var (outcome, fingerprint, detail) = await CorrectAsync(request, card, stop);
            await cards.RecordCorrectionAsync(card, outcome, fingerprint, detail, time.GetUtcNow(), CancellationToken.None);
            counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
            LogCardCorrected(logger, card.JobKey, outcome, detail ?? "");
            lines.Add($"- {Recipient(card, language)}: {texts.Get(language, "correct.outcome." + outcome)}{(detail is null || outcome is CorrectionOutcome.Updated or CorrectionOutcome.Retracted ? "" : " (" + detail + ")")}");
            done++;
            if (progressId is not null && done % ProgressEvery == 0 && done < request.Cards.Count)
            {
                await connector.UpdateActivityAsync(request.ReplyServiceUrl, request.ReplyConversationId, progressId,
                    Activity.CreateMessage(texts.Format(language, "correct.progress", request.Command, done, request.Cards.Count)), CancellationToken.None);
            }
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
        var failed = counts.GetValueOrDefault(CorrectionOutcome.Failed) > 0;
        await audit.WriteAsync(request.UserId, request.UserName, request.ConversationType, request.Command, failed ? AuditResults.Failed : AuditResults.Done,
            string.Join(", ", counts.OrderBy(c => c.Key).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Value} {c.Key.ToString().ToLowerInvariant()}"))),
            CancellationToken.None);
        return counts;
    }

    private async Task<(CorrectionOutcome Outcome, string? Fingerprint, string? Detail)> CorrectAsync(CorrectionRequest request, SentCard card, CancellationToken stop)
    {
        Activity? replacement = null;
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

    [LoggerMessage(EventId = 6182, Level = LogLevel.Information, Message = "Sent card {Job}: {Outcome} {Detail}.")]
    private static partial void LogCardCorrected(ILogger logger, string job, CorrectionOutcome outcome, string detail);
}
