using System.Net;

namespace TeamsRolloutBot.Protocol;

/// <summary>Reading helpers over inbound activities: mentions, locale, install events.</summary>
public static class ActivityExtensions
{
    /// <summary>The user's locale: the activity's own, else the clientInfo entity's, else null.</summary>
    public static string? GetLocale(this Activity activity) =>
        activity.Locale is { Length: > 0 } locale
            ? locale
            : activity.Entities?.FirstOrDefault(e => e.Type == "clientInfo" && !string.IsNullOrEmpty(e.Locale))?.Locale;

    /// <summary>True when one of the activity's mention entities names the bot (the recipient).</summary>
    public static bool MentionsBot(this Activity activity) =>
        activity.Recipient?.Id is { } botId
        && activity.Entities?.Any(e => e.Type == "mention" && string.Equals(e.Mentioned?.Id, botId, StringComparison.OrdinalIgnoreCase)) == true;

    /// <summary>
    /// The message text without the bot's own mention, HTML-decoded and trimmed. Other mentions stay:
    /// a lead may mention people as command arguments.
    /// </summary>
    public static string GetTextWithoutBotMention(this Activity activity)
    {
        var text = activity.Text ?? "";
        if (activity.Recipient?.Id is { } botId && activity.Entities is { } entities)
        {
            foreach (var mention in entities.Where(e => e.Type == "mention" && string.Equals(e.Mentioned?.Id, botId, StringComparison.OrdinalIgnoreCase)))
            {
                var literal = mention.Text is { Length: > 0 } t ? t : $"<at>{mention.Mentioned?.Name}</at>";
                text = text.Replace(literal, " ", StringComparison.OrdinalIgnoreCase);
            }
        }
        text = WebUtility.HtmlDecode(text).Replace('\u00a0', ' ');
        return string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>True for conversations where several people talk (channel, group chat): there the bot answers only when mentioned.</summary>
    public static bool IsGroupConversation(this Activity activity) =>
        activity.Conversation?.ConversationType is "channel" or "groupChat" || activity.Conversation?.IsGroup == true;

    /// <summary>True when this activity tells that the bot was installed in (or added to) the conversation.</summary>
    public static bool IsBotInstalled(this Activity activity) => activity.Type switch
    {
        ActivityTypes.InstallationUpdate => activity.Action is "add" or "add-upgrade",
        ActivityTypes.ConversationUpdate => activity.Recipient?.Id is { } botId
            && activity.MembersAdded?.Any(m => string.Equals(m.Id, botId, StringComparison.OrdinalIgnoreCase)) == true,
        _ => false,
    };

    /// <summary>True when this activity tells that the bot was removed from the conversation.</summary>
    public static bool IsBotUninstalled(this Activity activity) => activity.Type switch
    {
        ActivityTypes.InstallationUpdate => activity.Action is "remove" or "remove-upgrade",
        ActivityTypes.ConversationUpdate => activity.Recipient?.Id is { } botId
            && activity.MembersRemoved?.Any(m => string.Equals(m.Id, botId, StringComparison.OrdinalIgnoreCase)) == true,
        _ => false,
    };
}
