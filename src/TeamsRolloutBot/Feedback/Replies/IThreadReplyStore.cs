namespace TeamsRolloutBot.Feedback.Replies;

/// <summary>
/// Tracked thread roots, one current record per reply (with the earlier texts of edited replies) and the catch-up
/// schedule. Implemented on the SQLite file (<c>Storage/Sqlite/SqliteThreadReplyStore</c>) and on Azure Table Storage
/// (<c>Storage/Azure/AzureTableThreadReplyStore</c>), shared by every instance.
/// </summary>
public interface IThreadReplyStore
{
    /// <summary>The correlation id of a reply's list item is this prefix and the reply id (survey answers use GUIDs).</summary>
    const string CorrelationPrefix = "thread-reply:";

    /// <summary>Records a root once; a later call only fills in a team group id that was not known yet.</summary>
    Task TrackAsync(ThreadRoot root, CancellationToken cancellationToken);

    /// <summary>Fills in the team's Entra group id of the roots in a team (learnt from an inbound activity).</summary>
    Task LearnTeamGroupAsync(string rootMessageId, string aadGroupId, CancellationToken cancellationToken);

    /// <summary>The tracked root with this message id, or null.</summary>
    Task<ThreadRoot?> FindRootAsync(string rootMessageId, CancellationToken cancellationToken);

    /// <summary>All tracked roots, oldest first.</summary>
    Task<IReadOnlyList<ThreadRoot>> RootsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores a reply of a tracked thread: added once per reply id; a newer text keeps the previous one in the history;
    /// a deletion marks it deleted. Older or identical copies (live and catch-up of the same reply) change nothing.
    /// </summary>
    Task<ReplyChange> SaveAsync(IncomingReply reply, CancellationToken cancellationToken);

    /// <summary>Marks a reply deleted (a live delete). False when the reply is not stored.</summary>
    Task<bool> MarkDeletedAsync(string replyId, DateTimeOffset deletedAt, CancellationToken cancellationToken);

    /// <summary>The stored reply with this id (deleted or not), or null.</summary>
    Task<StoredReply?> FindAsync(string replyId, CancellationToken cancellationToken);

    /// <summary>Earlier texts of an edited reply, oldest first.</summary>
    Task<IReadOnlyList<(int Version, string Text, DateTimeOffset ModifiedAt)>> HistoryAsync(string replyId, CancellationToken cancellationToken);

    /// <summary>The replies that count as feedback (deleted ones left out unless asked for), newest first, optionally for one wave and department.</summary>
    Task<IReadOnlyList<StoredReply>> ListAsync(string? waveId = null, string? departmentId = null, bool includeDeleted = false, CancellationToken cancellationToken = default);

    /// <summary>Records a catch-up of one root: when it last succeeded, or the failure and when to try again.</summary>
    Task RecordPollAsync(string rootMessageId, DateTimeOffset nextPollAt, string? failure, CancellationToken cancellationToken);

    /// <summary>
    /// Puts a root's catch-up off until <paramref name="nextPollAt"/> for a reason that is not a failed Graph call: no
    /// attempt is counted, so the start-up catch-up still reads it.
    /// </summary>
    Task DeferPollAsync(string rootMessageId, DateTimeOffset nextPollAt, string reason, CancellationToken cancellationToken);

    /// <summary>
    /// Roots whose catch-up is due at <paramref name="now"/>, with the failed attempts so far. With
    /// <paramref name="startUp"/> also every root read successfully before whose next interval has not come yet.
    /// </summary>
    Task<IReadOnlyList<(ThreadRoot Root, int Attempts)>> DueForPollAsync(DateTimeOffset now, CancellationToken cancellationToken, bool startUp = false);

    /// <summary>Replies with a change not yet in the SharePoint list whose next attempt is due, oldest attempt first.</summary>
    Task<IReadOnlyList<ReplySyncWork>> DueSyncAsync(int limit, CancellationToken cancellationToken);

    /// <summary>A reply's place in the SharePoint copy queue, or null when it was never queued.</summary>
    Task<ReplySyncWork?> FindSyncAsync(string replyId, CancellationToken cancellationToken);

    /// <summary>Recorded before the POST: after a crash the next attempt looks the item up by correlation id first.</summary>
    Task MarkSyncPostStartedAsync(string replyId, CancellationToken cancellationToken);

    /// <summary>Stores the list item id found (or forgets it when null), without claiming a generation.</summary>
    Task SetSyncItemIdAsync(string replyId, string? itemId, CancellationToken cancellationToken);

    /// <summary>The change counted <paramref name="generation"/> is in the list (item <paramref name="itemId"/>, null when never in the list); clears the failure count.</summary>
    Task MarkSyncedAsync(string replyId, string? itemId, int generation, CancellationToken cancellationToken);

    /// <summary>Records a failed attempt (<paramref name="failure"/>) and when to try again.</summary>
    Task MarkSyncFailedAsync(string replyId, string failure, DateTimeOffset nextAttempt, CancellationToken cancellationToken);

    /// <summary>Per queued reply: its list item id (null until known) and whether its latest change is in the list.</summary>
    Task<IReadOnlyDictionary<string, (string? ItemId, bool Synced)>> SyncStatesAsync(CancellationToken cancellationToken);

    /// <summary>Replies whose latest change is in the list, waiting, and waiting after at least one failure.</summary>
    Task<(int Synced, int Pending, int Failing)> SyncCountsAsync(CancellationToken cancellationToken);
}
