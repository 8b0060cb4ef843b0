namespace TeamsRolloutBot.Feedback.Replies;

/// <summary>
/// A reply's place in the SharePoint copy queue: its current state, the correlation id written into the list item, the
/// item id once known, whether a POST may have created it, the change counter to copy and the failed attempts so far.
/// </summary>
public sealed record ReplySyncWork(
    StoredReply Reply, string CorrelationId, string? ItemId, bool PostStarted, int Generation, int Attempts, string? LastError);
