using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Storage;

/// <summary>Conversation references (personal, group chat, channel): where the bot can post later, shared by every instance.</summary>
public interface IConversationStore
{
    /// <summary>Stores or refreshes a reference (serviceUrl and locale change over time; fields the new one lacks keep their values); marks the conversation installed.</summary>
    Task UpsertAsync(ConversationReference reference, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the welcome for a conversation: true exactly once per installation, so the installationUpdate and
    /// conversationUpdate that Teams both sends on install (and redeliveries, to any instance) give one welcome card.
    /// </summary>
    Task<bool> TryClaimWelcomeAsync(string conversationId, CancellationToken cancellationToken);

    Task ReleaseWelcomeAsync(string conversationId, CancellationToken cancellationToken);

    Task MarkUninstalledAsync(string conversationId, CancellationToken cancellationToken);

    Task<StoredConversation?> FindAsync(string conversationId, CancellationToken cancellationToken);

    /// <summary>The personal-chat reference of a user (by Entra object id): an installed one first, then the newest; null when the bot has none.</summary>
    Task<StoredConversation?> FindPersonalAsync(string userAadObjectId, CancellationToken cancellationToken);
}
