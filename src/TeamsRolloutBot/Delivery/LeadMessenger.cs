using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Graph;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Delivery;

/// <summary>Posts to the leads' 1:1 chats (status cards, summaries, missed-send reports), paced like every other send.</summary>
public sealed partial class LeadMessenger(
    IDeliveryStore store,
    ConnectorClient connector,
    TenantPacer tenant,
    ConversationPacer conversations,
    IOptions<DeliveryOptions> options,
    IOptions<BotOptions> bot,
    GraphGateway graph,
    TimeProvider time,
    ILogger<LeadMessenger> logger)
{
    private static readonly TimeSpan LeadCacheTime = TimeSpan.FromMinutes(10);
    private (string Key, DateTimeOffset At, IReadOnlyList<string> Ids) _leads = ("", DateTimeOffset.MinValue, []);

    /// <summary>The leads of a delivery plan: see <see cref="LeadsAsync(IReadOnlyList{string}, string?, CancellationToken)"/>.</summary>
    public Task<IReadOnlyList<string>> LeadsAsync(DeliveryPlan plan, CancellationToken cancellationToken) =>
        LeadsAsync(plan.Leads, plan.LeadGroupId, cancellationToken);

    /// <summary>The leads of a plan file: see <see cref="LeadsAsync(IReadOnlyList{string}, string?, CancellationToken)"/>.</summary>
    public Task<IReadOnlyList<string>> LeadsAsync(Plan.RolloutPlan plan, CancellationToken cancellationToken) =>
        LeadsAsync(plan.Leads.Users, plan.Leads.GroupId, cancellationToken);

    /// <summary>
    /// The leads' Entra object ids, the one list every automatic message to leads goes to: the plan's users (a UPN is
    /// looked up in Graph) and the members of its lead group, resolved through Graph and cached for ten minutes.
    /// Without Graph the plan's users as written.
    /// </summary>
    public async Task<IReadOnlyList<string>> LeadsAsync(IReadOnlyList<string> users, string? groupId, CancellationToken cancellationToken)
    {
        var key = string.Join('\n', users) + "\n#" + groupId;
        var cached = _leads;
        if (cached.Key == key && time.GetUtcNow() - cached.At < LeadCacheTime)
        {
            return cached.Ids;
        }
        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var complete = true;
        foreach (var lead in users)
        {
            var id = lead;
            if (graph.IsEnabled && lead.Contains('@', StringComparison.Ordinal))
            {
                try
                {
                    id = (await graph.FindUserAsync(lead, cancellationToken))?.Id ?? lead;
                }
                catch (GraphCallException ex)
                {
                    complete = false;
                    LogLeadLookupFailed(logger, ex, lead);
                }
            }
            if (seen.Add(id))
            {
                ids.Add(id);
            }
        }
        if (graph.IsEnabled && !string.IsNullOrEmpty(groupId))
        {
            try
            {
                await foreach (var user in graph.GetTransitiveUsersAsync(groupId, cancellationToken))
                {
                    if (seen.Add(user.Id))
                    {
                        ids.Add(user.Id);
                    }
                }
            }
            catch (GraphCallException ex)
            {
                complete = false;
                LogLeadLookupFailed(logger, ex, groupId);
            }
        }
        // A list missing leads because Graph failed is not kept: the next message asks Graph again.
        if (complete)
        {
            _leads = (key, time.GetUtcNow(), ids);
        }
        return ids;
    }

    /// <summary>The lead's 1:1 chat, opened when the bot has none stored; null when it cannot be reached.</summary>
    public async Task<ConversationReference?> ConversationOfAsync(string leadId, CancellationToken cancellationToken)
    {
        var stored = await store.FindPersonalConversationAsync(leadId, cancellationToken);
        if (stored is { Installed: true })
        {
            return stored.Reference;
        }
        var serviceUrl = stored?.Reference.ServiceUrl ?? await DefaultServiceUrlAsync(cancellationToken);
        var tenantId = stored?.Reference.TenantId ?? bot.Value.MicrosoftAppTenantId ?? "";
        var botId = stored?.Reference.BotId ?? "28:" + (bot.Value.MicrosoftAppId ?? "bot");
        await tenant.WaitAsync(cancellationToken);
        var created = await connector.CreatePersonalConversationAsync(serviceUrl, botId, leadId, tenantId, cancellationToken);
        if (!created.IsSuccess || created.Value?.Id is not { Length: > 0 } id)
        {
            LogLeadUnreachable(logger, leadId, created.Outcome);
            return null;
        }
        var reference = new ConversationReference("msteams", created.Value.ServiceUrl ?? serviceUrl, id, "personal", tenantId, botId, leadId, leadId, null, null, null, null);
        await store.SaveConversationAsync(reference, cancellationToken);
        return reference;
    }

    /// <summary>Sends a new message to a lead; returns its conversation and activity id, or null when it failed.</summary>
    public async Task<(ConversationReference Conversation, string ActivityId)?> SendAsync(string leadId, Activity activity, CancellationToken cancellationToken)
    {
        if (await ConversationOfAsync(leadId, cancellationToken) is not { } conversation)
        {
            return null;
        }
        await tenant.WaitAsync(cancellationToken);
        await conversations.WaitAsync(conversation.ConversationId, cancellationToken);
        var result = await connector.SendToConversationAsync(conversation.ServiceUrl, conversation.ConversationId, activity, cancellationToken);
        if (!result.IsSuccess)
        {
            LogLeadUnreachable(logger, leadId, result.Outcome);
            return null;
        }
        return (conversation, result.Value?.Id ?? "");
    }

    /// <summary>Replaces a message sent earlier (the status card); false when it failed.</summary>
    public async Task<bool> UpdateAsync(ProgressCard card, Activity activity, CancellationToken cancellationToken)
    {
        await tenant.WaitAsync(cancellationToken);
        await conversations.WaitAsync(card.ConversationId, cancellationToken);
        var result = await connector.UpdateActivityAsync(card.ServiceUrl, card.ConversationId, card.ActivityId, activity, cancellationToken);
        return result.IsSuccess;
    }

    /// <summary>
    /// The language of a lead's messages: the Teams locale of their last activity with the bot (stored with their
    /// personal chat) when the plan offers it, else the plan's default language.
    /// </summary>
    public async Task<string> LanguageOfAsync(DeliveryPlan plan, string leadId, CancellationToken cancellationToken)
    {
        var stored = await store.FindPersonalConversationAsync(leadId, cancellationToken);
        return CardLanguage.Resolve(plan.DefaultLanguage, plan.Languages, userLocale: stored?.Reference.Locale);
    }

    /// <summary>Tells every lead, in their language, that a send was missed (too late after downtime); true when at least one lead was told.</summary>
    public async Task<bool> ReportMissedAsync(DeliveryPlan plan, PlannedSendRecord missed, CancellationToken cancellationToken)
    {
        var told = false;
        var leads = await LeadsAsync(plan, cancellationToken);
        foreach (var lead in leads)
        {
            var text = MissedText(missed.Send, await LanguageOfAsync(plan, lead, cancellationToken));
            told |= await SendAsync(lead, Activity.CreateMessage(text), cancellationToken) is not null;
        }
        return told || leads.Count == 0;
    }

    /// <summary>The missed-send report in <paramref name="language"/>.</summary>
    public static string MissedText(PlannedSend send, string language)
    {
        var culture = CultureOf(language);
        return CardStrings.Text(language, "delivery.missed", new Dictionary<string, string>
        {
            ["message"] = send.MessageId,
            ["wave"] = send.WaveId,
            ["department"] = send.DepartmentId,
            ["audience"] = CardStrings.Text(language, "commands.audience." + send.Audience),
            ["due"] = send.DueUtc.UtcDateTime.ToString(CardStrings.Text(language, "language.dateTimeFormat"), culture),
        });
    }

    /// <summary>
    /// Tells every lead once, in their language, which sends were cancelled because their message, wave or department
    /// left the plan (<paramref name="cancelled"/>: each send with its number of queued jobs skipped); true when at
    /// least one lead was told or there are none.
    /// </summary>
    public async Task<bool> ReportRemovedAsync(DeliveryPlan plan, IReadOnlyList<(PlannedSend Send, int Jobs)> cancelled, CancellationToken cancellationToken)
    {
        var told = false;
        var leads = await LeadsAsync(plan, cancellationToken);
        foreach (var lead in leads)
        {
            var text = RemovedText(cancelled, await LanguageOfAsync(plan, lead, cancellationToken));
            told |= await SendAsync(lead, Activity.CreateMessage(text), cancellationToken) is not null;
        }
        return told || leads.Count == 0;
    }

    /// <summary>The removed-from-the-plan report in <paramref name="language"/>: counts, then the messages (with their wave) and departments, each sorted.</summary>
    public static string RemovedText(IReadOnlyList<(PlannedSend Send, int Jobs)> cancelled, string language)
    {
        var culture = CultureOf(language);
        return CardStrings.Text(language, "delivery.removed", new Dictionary<string, string>
        {
            ["sends"] = cancelled.Count.ToString("N0", culture),
            ["recipients"] = cancelled.Sum(c => c.Jobs).ToString("N0", culture),
            ["messages"] = string.Join(", ", cancelled.Select(c => $"{c.Send.MessageId} ({c.Send.WaveId})").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
            ["departments"] = string.Join(", ", cancelled.Select(c => c.Send.DepartmentId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
        });
    }

    /// <summary>The short message a lead gets when a wave message has gone out to everyone.</summary>
    public static string SummaryText(WaveProgress p, string language)
    {
        var culture = CultureOf(language);
        return CardStrings.Text(language, "progress.summary", new Dictionary<string, string>
        {
            ["wave"] = p.WaveId,
            ["message"] = p.MessageId,
            ["delivered"] = p.Delivered.ToString("N0", culture),
            ["failed"] = p.Failed.ToString("N0", culture),
            ["skipped"] = p.Skipped.ToString("N0", culture),
        });
    }

    /// <summary>
    /// The status card of a wave message (Cards template <c>delivery-progress</c>), used when there is no plan file for
    /// the <c>status</c> template.
    /// </summary>
    public static Activity StatusCard(WaveProgress p, double? ratePerSecond, TimeSpan? eta, bool final, string language)
    {
        var lang = CardStrings.Normalize(language);
        var culture = CultureOf(lang);
        string T(string key, Dictionary<string, string>? values = null) => CardStrings.Text(lang, "progress." + key, values);
        string N(int value) => value.ToString("N0", culture);
        var title = T(final ? "titleFinished" : "titleRunning", new() { ["wave"] = p.WaveId, ["message"] = p.MessageId });
        var root = new JsonObject
        {
            ["lang"] = lang,
            ["strings"] = CardStrings.All(lang),
            ["view"] = new JsonObject
            {
                ["title"] = title,
                ["sent"] = N(p.Finished),
                ["delivered"] = N(p.Delivered),
                ["failed"] = N(p.Failed),
                ["skipped"] = N(p.Skipped),
                ["pending"] = N(p.Queued),
                ["running"] = !final,
                ["rate"] = ratePerSecond is { } r ? T("rateValue", new() { ["rate"] = r.ToString("0.0", culture) }) : T("unknown"),
                ["eta"] = eta is { } e ? Duration(e, lang, culture) : T("unknown"),
            },
        };
        var template = CardResources.Load($"Cards/Templates/{DeliveryProgressTemplate}.json")
            ?? throw new InvalidOperationException($"Card template Cards/Templates/{DeliveryProgressTemplate}.json is not embedded in the build.");
        return Activity.CreateCard((JsonObject)CardTemplate.Expand(template, root)!, title);
    }

    private const string DeliveryProgressTemplate = "delivery-progress";

    private static string Duration(TimeSpan t, string language, CultureInfo culture)
    {
        string N(int n) => n.ToString(culture);
        var (key, values) = t.TotalHours >= 1 ? ("hours", new Dictionary<string, string> { ["hours"] = N((int)t.TotalHours), ["minutes"] = N(t.Minutes) })
            : t.TotalMinutes >= 1 ? ("minutes", new Dictionary<string, string> { ["minutes"] = N((int)t.TotalMinutes), ["seconds"] = N(t.Seconds) })
            : ("seconds", new Dictionary<string, string> { ["seconds"] = N(Math.Max(1, t.Seconds)) });
        return CardStrings.Text(language, "progress." + key, values);
    }

    private static CultureInfo CultureOf(string language) => CultureInfo.GetCultureInfo(CardStrings.Text(language, "language.culture"));

    /// <summary>
    /// Where to send when no stored conversation names a serviceUrl: Delivery:DefaultServiceUrl, except in local
    /// Playground mode, where it is the Playground's own (the serviceUrl of the last conversation it had with the bot).
    /// </summary>
    private async Task<string> DefaultServiceUrlAsync(CancellationToken cancellationToken) =>
        bot.Value.LocalPlayground && await store.LatestServiceUrlAsync(cancellationToken) is { } local ? local : options.Value.DefaultServiceUrl;
    [LoggerMessage(EventId = 6401, Level = LogLevel.Warning, Message = "Lead {Lead} could not be looked up in Graph; using the plan's value.")]
    private static partial void LogLeadLookupFailed(ILogger logger, Exception ex, string lead);

    [LoggerMessage(EventId = 6400, Level = LogLevel.Warning, Message = "Lead {Lead} cannot be reached in a 1:1 chat ({Outcome}).")]
    private static partial void LogLeadUnreachable(ILogger logger, string lead, ConnectorOutcome outcome);
}
