namespace TeamsRolloutBot.Protocol;

/// <summary>Where to reach a conversation later (proactive messages).</summary>
public sealed record ConversationReference(
    string ChannelId,
    string ServiceUrl,
    string ConversationId,
    string? ConversationType,
    string? TenantId,
    string? BotId,
    string? UserId,
    string? UserAadObjectId,
    string? TeamId,
    string? TeamAadGroupId,
    string? ChannelIdInTeam,
    string? Locale)
{
    /// <summary>The reference of the conversation an inbound activity came from.</summary>
    public static ConversationReference FromActivity(Activity activity)
    {
        var isPersonal = activity.Conversation?.ConversationType is null or "personal";
        return new ConversationReference(
            activity.ChannelId ?? "msteams",
            activity.ServiceUrl ?? "",
            activity.Conversation?.Id ?? "",
            activity.Conversation?.ConversationType ?? "personal",
            activity.TenantId,
            activity.Recipient?.Id,
            isPersonal ? activity.From?.Id : null,
            isPersonal ? activity.From?.AadObjectId : null,
            activity.ChannelData?.Team?.Id,
            activity.ChannelData?.Team?.AadGroupId,
            activity.ChannelData?.Channel?.Id,
            activity.GetLocale());
    }
}
