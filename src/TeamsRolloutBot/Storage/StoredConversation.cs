using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Storage;

/// <summary>A stored conversation reference with its install state.</summary>
public sealed record StoredConversation(ConversationReference Reference, bool Installed, DateTimeOffset? WelcomedAt);
