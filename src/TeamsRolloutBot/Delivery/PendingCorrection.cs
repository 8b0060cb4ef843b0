namespace TeamsRolloutBot.Delivery;

/// <summary>
/// A lead's <c>update</c> or <c>retract</c> as stored until every card it covers has an outcome: who asked, the chat
/// the progress and outcome go to, and the progress message once posted (so a restart updates the same message).
/// </summary>
public sealed record PendingCorrection(
    string RequestId,
    bool Retract,
    string MessageId,
    string Command,
    string UserId,
    string UserName,
    string? ConversationType,
    string ReplyServiceUrl,
    string ReplyConversationId,
    string Language,
    DateTimeOffset RequestedUtc,
    string? ProgressActivityId = null,
    DateTimeOffset? FinishedUtc = null);
