using Microsoft.Extensions.Options;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Feedback;

/// <summary>
/// The timed part of feedback, following what was actually delivered (the delivery records, not the plan's schedule):
/// <see cref="FeedbackOptions.SummaryAfterDays"/> after a wave's survey was first delivered to someone, each lead gets
/// the wave's summary card 1:1; <see cref="FeedbackOptions.ReminderAfterDays"/> after the survey was delivered to a
/// person, that person gets one reminder 1:1 (the survey card again) unless they answered. A cancelled wave gets neither;
/// a paused wave gets no reminders until it is resumed. Each send is claimed once in <c>feedback_notices</c> (kind,
/// scope, target) before it is made, so nobody gets the same notice twice, and its outcome is recorded: sent,
/// no-conversation (the bot has no 1:1 chat with the person), or failed with the connector's outcome.
/// </summary>
public sealed partial class FeedbackNotifier(
    IFeedbackStore store,
    FeedbackSummaryService summaries,
    SurveyCards cards,
    IDeliveryStore deliveries,
    IWaveStateStore waveStates,
    IConversationStore conversations,
    ConnectorClient connector,
    PlanProvider plans,
    LeadMessenger leads,
    IOptions<FeedbackOptions> options,
    TimeProvider time,
    ILogger<FeedbackNotifier> logger)
{
    public const string SummaryKind = "summary";
    public const string ReminderKind = "reminder";

    /// <summary>Notices are due from their time until this long after it; a bot started much later does not send stale ones.</summary>
    public static readonly TimeSpan DueWindow = TimeSpan.FromDays(14);

    /// <summary>Sends every summary and reminder that is due now; the number of notices sent.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (plans.Current is not { } plan)
        {
            return 0;
        }
        var now = time.GetUtcNow();
        var states = await waveStates.ReadAllAsync(cancellationToken);
        var sent = 0;
        foreach (var survey in SurveySchedule.Of(plan))
        {
            var state = states.TryGetValue(survey.WaveId, out var stored) ? stored.State : WaveState.Scheduled;
            if (state == WaveState.Cancelled)
            {
                continue;
            }
            var delivered = await DeliveriesAsync(plan, survey, cancellationToken);
            if (delivered.Count == 0)
            {
                continue;
            }
            var firstDelivery = delivered.Min(d => d.Delivery.DeliveredUtc);
            if (options.Value.SummaryAfterDays > 0 && IsDue(firstDelivery + TimeSpan.FromDays(options.Value.SummaryAfterDays), now))
            {
                sent += await SendSummariesAsync(plan, survey, cancellationToken);
            }
            // Paused: the reminders wait; after a resume the ones that came due meanwhile go out (if still unanswered).
            if (options.Value.ReminderAfterDays > 0 && state != WaveState.Paused)
            {
                var due = delivered.Where(d => IsDue(d.Delivery.DeliveredUtc + TimeSpan.FromDays(options.Value.ReminderAfterDays), now)).ToList();
                if (due.Count > 0)
                {
                    sent += await SendRemindersAsync(survey, due, cancellationToken);
                }
            }
        }
        return sent;
    }

    /// <summary>
    /// Everyone the wave's survey was delivered to 1:1, once each (their first delivery, if a survey message went to
    /// them twice), with the department and message of that delivery.
    /// </summary>
    private async Task<List<(string DepartmentId, string MessageId, PersonalDelivery Delivery)>> DeliveriesAsync(
        RolloutPlan plan, WaveSurvey survey, CancellationToken cancellationToken)
    {
        var messageIds = plan.FindWave(survey.WaveId)?.EffectiveMessages
            .Where(m => m.Template == CardTemplateIds.Survey && SurveySchedule.SurveyIdOf(m) == survey.SurveyId)
            .Select(m => m.Id).ToList() ?? [survey.MessageId];
        var all = new List<(string DepartmentId, string MessageId, PersonalDelivery Delivery)>();
        foreach (var messageId in messageIds)
        {
            foreach (var departmentId in survey.DepartmentIds)
            {
                foreach (var delivery in await deliveries.GetPersonalDeliveriesAsync(survey.WaveId, messageId, departmentId, cancellationToken))
                {
                    all.Add((departmentId, messageId, delivery));
                }
            }
        }
        return [.. all.GroupBy(d => d.Delivery.AadObjectId, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.OrderBy(d => d.Delivery.DeliveredUtc).First())];
    }

    private static bool IsDue(DateTimeOffset dueAt, DateTimeOffset now) => now >= dueAt && now < dueAt + DueWindow;

    private async Task<int> SendSummariesAsync(RolloutPlan plan, WaveSurvey survey, CancellationToken cancellationToken)
    {
        var sent = 0;
        FeedbackSummary? figures = null;
        foreach (var lead in await leads.LeadsAsync(plan, cancellationToken))
        {
            if (!await store.TryClaimNoticeAsync(SummaryKind, survey.WaveId, lead, cancellationToken))
            {
                continue;
            }
            figures ??= await summaries.ComputeAsync(survey.WaveId, null, cancellationToken);
            if (await SendAsync(SummaryKind, survey.WaveId, lead, locale =>
                {
                    var language = cards.LanguageFor(locale);
                    return Activity.CreateCard(summaries.Render(figures, language), CardStrings.Text(language, "feedbackSummary.summaryText"));
                }, cancellationToken))
            {
                sent++;
            }
        }
        return sent;
    }

    private async Task<int> SendRemindersAsync(WaveSurvey survey, IReadOnlyList<(string DepartmentId, string MessageId, PersonalDelivery Delivery)> due,
        CancellationToken cancellationToken)
    {
        var sent = 0;
        var answered = (await store.ListAsync(null, null, cancellationToken))
            .Where(a => a.Placement.SurveyId == survey.SurveyId)
            .Select(a => a.Respondent.AadObjectId)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (departmentId, messageId, delivery) in due)
        {
            var user = delivery.AadObjectId;
            if (answered.Contains(user) || !await store.TryClaimNoticeAsync(ReminderKind, survey.SurveyId, user, cancellationToken))
            {
                continue;
            }
            var placement = new SurveyPlacement(survey.SurveyId, survey.WaveId, departmentId, messageId);
            if (await SendAsync(ReminderKind, survey.SurveyId, user, locale =>
                {
                    var language = cards.LanguageFor(locale);
                    var text = CardStrings.Text(language, "feedback.reminderText");
                    var activity = Activity.CreateCard(cards.Survey(placement, null, [], null, language), text);
                    activity.Text = text;
                    return activity;
                }, cancellationToken))
            {
                sent++;
            }
        }
        return sent;
    }

    /// <summary>Sends one claimed notice 1:1 and records the outcome. A throttled send gives the claim back so a later pass retries it.</summary>
    private async Task<bool> SendAsync(string kind, string scope, string target, Func<string?, Activity> build, CancellationToken cancellationToken)
    {
        var conversation = await conversations.FindPersonalAsync(target, cancellationToken);
        if (conversation is not { Installed: true })
        {
            var why = conversation is null
                ? "the bot has no personal chat with this person (app not installed for them, or a UPN instead of an Entra object id)"
                : "the bot was removed from this person's personal chat";
            await store.CompleteNoticeAsync(kind, scope, target, "no-conversation", why, cancellationToken);
            FeedbackTelemetry.Notice(kind, "no-conversation");
            Log.NoticeNotSent(logger, kind, scope, "no-conversation");
            return false;
        }
        var reference = conversation.Reference;
        var activity = build(reference.Locale);
        var result = await connector.SendToConversationAsync(reference.ServiceUrl, reference.ConversationId, activity, cancellationToken);
        if (result.IsSuccess)
        {
            await store.CompleteNoticeAsync(kind, scope, target, "sent", result.Value?.Id, cancellationToken);
            FeedbackTelemetry.Notice(kind, "sent");
            Log.NoticeSent(logger, kind, scope);
            return true;
        }
        if (result.Outcome == ConnectorOutcome.Throttled)
        {
            // Certainly not delivered: give the claim back for the next pass.
            await store.ReleaseNoticeAsync(kind, scope, target, cancellationToken);
            FeedbackTelemetry.Notice(kind, "throttled");
            Log.NoticeNotSent(logger, kind, scope, "throttled, retried on the next pass");
            return false;
        }
        await store.CompleteNoticeAsync(kind, scope, target, "failed", $"{result.Outcome} {(int?)result.StatusCode} {result.ErrorCode}".Trim(), cancellationToken);
        FeedbackTelemetry.Notice(kind, "failed");
        Log.NoticeNotSent(logger, kind, scope, result.Outcome.ToString());
        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1830, Level = LogLevel.Information, Message = "Feedback {Kind} for {Scope} sent")]
        public static partial void NoticeSent(ILogger logger, string kind, string scope);

        [LoggerMessage(EventId = 1831, Level = LogLevel.Warning, Message = "Feedback {Kind} for {Scope} not sent: {Reason}")]
        public static partial void NoticeNotSent(ILogger logger, string kind, string scope, string reason);
    }
}
