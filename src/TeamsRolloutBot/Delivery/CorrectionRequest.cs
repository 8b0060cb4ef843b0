namespace TeamsRolloutBot.Delivery;

/// <summary>
/// A lead's <c>update</c> or <c>retract</c> of the sent cards of one message, as queued for <see cref="CorrectionRunner"/>:
/// the cards, the canonical command (audit), who asked, and the chat the progress and outcome go to.
/// </summary>
public sealed record CorrectionRequest(
    bool Retract,
    string MessageId,
    IReadOnlyList<SentCard> Cards,
    string Command,
    string UserId,
    string UserName,
    string? ConversationType,
    string ReplyServiceUrl,
    string ReplyConversationId,
    string Language);
