using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Commands;

/// <summary>Who sent a command, in which conversation and language, and whether they are a lead.</summary>
public sealed record CommandContext(Activity Activity, string Language, string UserId, string UserName, LeadCheck Lead)
{
    public bool IsPersonal => !Activity.IsGroupConversation();
    public string? ConversationType => Activity.Conversation?.ConversationType ?? "personal";
}
