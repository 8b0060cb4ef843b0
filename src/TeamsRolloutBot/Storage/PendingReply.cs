namespace TeamsRolloutBot.Storage;

/// <summary>
/// A reply to an inbound activity that could not be sent while the request was open: where it goes, the activity as
/// JSON, how often it was tried and when it is due next.
/// </summary>
public sealed record PendingReply(
    string Id,
    string ServiceUrl,
    string ConversationId,
    string? ReplyToId,
    string ActivityJson,
    int Attempts,
    DateTimeOffset DueUtc,
    DateTimeOffset CreatedUtc,
    string? LastError);
