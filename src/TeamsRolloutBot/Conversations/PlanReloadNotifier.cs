using System.Globalization;
using System.Text;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Conversations;

/// <summary>
/// Tells the leads in their personal chat when an edited plan file could not be loaded (the last valid plan stays in
/// force), so a broken edit is never silent. Leads are the plan's users and lead group, resolved like every automatic
/// message to leads (<see cref="LeadMessenger.LeadsAsync(RolloutPlan, CancellationToken)"/>), reached through their stored personal chat.
/// With several instances (AzureStorage) every instance sees the edit; only the leader tells the leads, so each lead
/// gets one notice.
/// </summary>
public sealed class PlanReloadNotifier(PlanProvider plans, IConversationStore conversations, ConnectorClient connector, ILeadership leadership,
    LeadMessenger leads, ILogger<PlanReloadNotifier> logger)
    : PlanReloadListener(plans)
{
    private const int MaxErrorsShown = 5;

    protected override void OnReloaded(object? sender, PlanReloadedEventArgs e)
    {
        if (!e.Succeeded && e.Current is { } inForce && leadership.IsLeader)
        {
            _ = NotifyAsync(e, inForce);
        }
    }

    /// <summary>Posts the errors to every lead with a personal chat; returns how many were told.</summary>
    internal async Task<int> NotifyAsync(PlanReloadedEventArgs e, RolloutPlan inForce)
    {
        var told = 0;
        try
        {
            // The lead who typed `plan reload` has the errors in the command's answer already.
            var leadIds = await leads.LeadsAsync(inForce, CancellationToken.None);
            foreach (var lead in leadIds.Where(u => !string.Equals(u, e.RequestedBy, StringComparison.OrdinalIgnoreCase)))
            {
                if (await conversations.FindPersonalAsync(lead, CancellationToken.None) is not { Installed: true } chat)
                {
                    Log.LeadNotReachable(logger);
                    continue;
                }
                var language = CardLanguage.Resolve(inForce.DefaultLanguage, inForce.Languages, userLocale: chat.Reference.Locale);
                var result = await connector.SendToConversationAsync(chat.Reference.ServiceUrl, chat.Reference.ConversationId,
                    Activity.CreateMessage(Describe(e, inForce, language)), CancellationToken.None);
                if (result.IsSuccess)
                {
                    told++;
                }
                else
                {
                    Log.LeadNotificationFailed(logger, result.Outcome);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.PlanNotificationFailed(logger, ex);
        }
        return told;
    }

    internal static string Describe(PlanReloadedEventArgs e, RolloutPlan inForce, string language)
    {
        var errors = e.Result.Errors.ToList();
        var culture = CultureInfo.GetCultureInfo(CardStrings.Text(language, "language.culture"));
        var values = new Dictionary<string, string>
        {
            ["file"] = Path.GetFileName(inForce.SourceFile),
            ["count"] = errors.Count.ToString("N0", culture),
            ["plan"] = inForce.Name,
        };
        values["inForce"] = CardStrings.Text(language, "plan.inForce", values);
        var text = new StringBuilder(CardStrings.Text(language, "plan.reloadFailed", values));
        foreach (var error in errors.Take(MaxErrorsShown))
        {
            text.Append("\n\n- ").Append(error.ToString().Replace(Path.GetDirectoryName(inForce.SourceFile) + Path.DirectorySeparatorChar, "", StringComparison.Ordinal));
        }
        if (errors.Count > MaxErrorsShown)
        {
            var more = new Dictionary<string, string> { ["count"] = (errors.Count - MaxErrorsShown).ToString("N0", culture) };
            text.Append("\n\n- ").Append(CardStrings.Text(language, "plan.moreErrors", more));
        }
        return text.ToString();
    }
}
