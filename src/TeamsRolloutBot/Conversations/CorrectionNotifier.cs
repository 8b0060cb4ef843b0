using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Conversations;

/// <summary>
/// After every successful plan load, classifies the plan's messages against the cards already in Teams
/// (<see cref="SentCardCheck"/>) and, when some changed after they were sent, sends each lead one card listing them with
/// "Update sent cards" and "Leave as sent" buttons (<see cref="CorrectionCards"/>), in the lead's language. A change is
/// told once (its notice is stored; a later reload with the same change tells nobody); only the leader instance tells.
/// </summary>
public sealed partial class CorrectionNotifier(PlanProvider plans, SentCardCheck check, ISentCardStore cards, IConversationStore conversations,
    LeadMessenger leads, ILeadership leadership, CommandTexts texts, TimeProvider time, ILogger<CorrectionNotifier> logger) : PlanReloadListener(plans)
{
    private Task _last = Task.CompletedTask;

    /// <summary>The latest notice run (tests wait for it).</summary>
    public Task Last => _last;

    protected override void OnReloaded(object? sender, PlanReloadedEventArgs e)
    {
        if (e.Succeeded && e.Current is { } plan && leadership.IsLeader)
        {
            var previous = _last;
            _last = Task.Run(async () =>
            {
                await previous;
                await NotifyAsync(plan, CancellationToken.None);
            });
        }
    }

    /// <summary>Tells the leads about the messages changed after send not told before; returns how many leads were told.</summary>
    internal async Task<int> NotifyAsync(RolloutPlan plan, CancellationToken cancellationToken)
    {
        try
        {
            var checks = await check.ClassifyAsync(plan, cancellationToken);
            var fresh = new List<MessageCheck>();
            foreach (var changed in checks.Where(c => c is { State: SendState.ChangedAfterSend, NoticeKey: not null }))
            {
                if (await cards.TryAddNoticeAsync(changed.NoticeKey!, changed.MessageId, time.GetUtcNow(), cancellationToken))
                {
                    fresh.Add(changed);
                }
            }
            if (fresh.Count == 0)
            {
                return 0;
            }
            var names = string.Join(", ", fresh.Select(f => f.MessageId));
            LogChangedAfterSend(logger, fresh.Count, names);
            var told = 0;
            foreach (var lead in await leads.LeadsAsync(plan, cancellationToken))
            {
                var chat = await conversations.FindPersonalAsync(lead, cancellationToken);
                var language = CardLanguage.Resolve(plan.DefaultLanguage, plan.Languages, userLocale: chat?.Reference.Locale);
                var card = CorrectionCards.Notice(texts, language, fresh);
                if (await leads.SendAsync(lead, Activity.CreateCard(card, texts.Format(language, "correct.noticeSummary", fresh.Count)), cancellationToken) is not null)
                {
                    told++;
                }
            }
            return told;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNoticeFailed(logger, ex);
            return 0;
        }
    }

    [LoggerMessage(EventId = 1180, Level = LogLevel.Information, Message = "{Count} message(s) changed after they were sent: {Messages}; telling the leads.")]
    private static partial void LogChangedAfterSend(ILogger logger, int count, string messages);

    [LoggerMessage(EventId = 1181, Level = LogLevel.Error, Message = "Checking the sent cards against the reloaded plan failed.")]
    private static partial void LogNoticeFailed(ILogger logger, Exception exception);
}
