namespace TeamsRolloutBot.Feedback.Replies;

/// <summary>
/// A channel post of the bot whose replies are feedback: the root of a thread, with where it was posted (the team's
/// <c>19:</c> id and its Entra group id, the channel) and which plan message it carried.
/// </summary>
public sealed record ThreadRoot(
    string RootMessageId,
    string ChannelId,
    string? TeamId,
    string? TeamAadGroupId,
    string WaveId,
    string DepartmentId,
    string MessageId,
    DateTimeOffset PostedAt);

/// <summary>Where a reply came from: the live activity Teams sent the bot, or the Graph catch-up.</summary>
public enum ReplySource
{
    Live,
    Graph,
}

/// <summary>One reply as received (live or from Graph): the current text and times; <see cref="DeletedAt"/> when deleted.</summary>
public sealed record IncomingReply(
    string ReplyId,
    string RootMessageId,
    string? AuthorAadObjectId,
    string? AuthorName,
    string Text,
    DateTimeOffset CreatedAt,
    DateTimeOffset ModifiedAt,
    DateTimeOffset? DeletedAt,
    ReplySource Source);

/// <summary>A stored thread reply: one record per reply id, whatever way it arrived.</summary>
public sealed record StoredReply(
    string ReplyId,
    string RootMessageId,
    string? AuthorAadObjectId,
    string? AuthorName,
    string WaveId,
    string DepartmentId,
    string MessageId,
    string Text,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset ModifiedAt,
    DateTimeOffset? DeletedAt,
    ReplySource Source);

/// <summary>
/// A reply's place in the SharePoint copy queue: its current state, the correlation id written into the list item, the
/// item id once known, whether a POST may have created it, the change counter to copy and the failed attempts so far.
/// </summary>
public sealed record ReplySyncWork(
    StoredReply Reply, string CorrelationId, string? ItemId, bool PostStarted, int Generation, int Attempts, string? LastError);

/// <summary>What storing a reply did.</summary>
public enum ReplyChange
{
    /// <summary>A reply not seen before.</summary>
    Added,
    /// <summary>A newer text: the previous one went to the history.</summary>
    Edited,
    /// <summary>The reply was deleted in Teams.</summary>
    Deleted,
    /// <summary>Already stored as it is (the same reply live and by catch-up, or an older copy).</summary>
    Unchanged,
    /// <summary>The thread is not tracked: nothing stored.</summary>
    NotTracked,
}
