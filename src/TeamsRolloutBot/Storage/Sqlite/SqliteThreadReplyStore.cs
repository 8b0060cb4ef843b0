using Microsoft.Data.Sqlite;
using TeamsRolloutBot.Feedback.Replies;

namespace TeamsRolloutBot.Storage.Sqlite;

/// <summary>
/// The thread tables in the SQLite file: tracked roots (<c>thread_roots</c>), one current record per reply
/// (<c>thread_replies</c>, keyed by the reply's message id) and the earlier texts of edited replies
/// (<c>thread_reply_history</c>).
/// </summary>
public sealed class SqliteThreadReplyStore(SqliteDatabase database, TimeProvider time) : IThreadReplyStore
{
    /// <summary>Records a root once; a later call only fills in a team group id that was not known yet.</summary>
    public Task TrackAsync(ThreadRoot root, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        return database.ExecuteAsync("""
            INSERT INTO thread_roots (root_message_id, channel_id, team_id, team_aad_group_id, wave_id, department_id, message_id, posted_at, next_poll_at)
            VALUES ($r, $c, $t, $g, $w, $d, $m, $p, $p)
            ON CONFLICT (root_message_id) DO UPDATE SET team_aad_group_id = COALESCE(thread_roots.team_aad_group_id, excluded.team_aad_group_id)
            """, cancellationToken,
            ("$r", root.RootMessageId), ("$c", root.ChannelId), ("$t", root.TeamId), ("$g", root.TeamAadGroupId), ("$w", root.WaveId),
            ("$d", root.DepartmentId), ("$m", root.MessageId), ("$p", SqliteTime.Format(root.PostedAt)));
    }

    /// <summary>Fills in the team's Entra group id of the roots in a team (learnt from an inbound activity).</summary>
    public Task LearnTeamGroupAsync(string rootMessageId, string aadGroupId, CancellationToken cancellationToken) =>
        database.ExecuteAsync("""
            UPDATE thread_roots SET team_aad_group_id = $g
            WHERE team_aad_group_id IS NULL AND (root_message_id = $r OR team_id = (SELECT team_id FROM thread_roots WHERE root_message_id = $r))
            """, cancellationToken, ("$g", aadGroupId), ("$r", rootMessageId));

    /// <summary>The tracked root with this message id, or null.</summary>
    public async Task<ThreadRoot?> FindRootAsync(string rootMessageId, CancellationToken cancellationToken) =>
        (await database.QueryAsync($"{RootSelect} WHERE root_message_id = $r", ReadRoot, cancellationToken, ("$r", rootMessageId))).SingleOrDefault();

    /// <summary>All tracked roots, oldest first.</summary>
    public async Task<IReadOnlyList<ThreadRoot>> RootsAsync(CancellationToken cancellationToken) =>
        await database.QueryAsync($"{RootSelect} ORDER BY posted_at, root_message_id", ReadRoot, cancellationToken);

    /// <summary>
    /// Stores a reply of a tracked thread: added once per reply id; a newer text keeps the previous one in the history;
    /// a deletion marks it deleted. Older or identical copies (live and catch-up of the same reply) change nothing.
    /// </summary>
    public Task<ReplyChange> SaveAsync(IncomingReply reply, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async session =>
        {
            var root = (await session.QueryAsync($"{RootSelect} WHERE root_message_id = $r", ReadRoot, cancellationToken, ("$r", reply.RootMessageId)))
                .FirstOrDefault();
            if (root is null)
            {
                return ReplyChange.NotTracked;
            }
            var current = (await session.QueryAsync($"{ReplySelect} WHERE reply_id = $id", ReadReply, cancellationToken, ("$id", reply.ReplyId)))
                .FirstOrDefault();
            var now = SqliteTime.Format(time.GetUtcNow());
            ReplyChange change;
            if (current is null)
            {
                await session.ExecuteAsync("""
                    INSERT INTO thread_replies (reply_id, root_message_id, user_aad_object_id, user_name, wave_id, department_id, message_id,
                        text, version, created_at, modified_at, deleted_at, source, updated_at)
                    VALUES ($id, $r, $u, $n, $w, $d, $m, $t, 1, $c, $mod, $del, $s, $now)
                    """, cancellationToken,
                    ("$id", reply.ReplyId), ("$r", reply.RootMessageId), ("$u", reply.AuthorAadObjectId), ("$n", reply.AuthorName),
                    ("$w", root.WaveId), ("$d", root.DepartmentId), ("$m", root.MessageId), ("$t", reply.Text), ("$c", SqliteTime.Format(reply.CreatedAt)),
                    ("$mod", SqliteTime.Format(reply.ModifiedAt)), ("$del", reply.DeletedAt is { } deleted ? SqliteTime.Format(deleted) : null), ("$s", SourceText(reply.Source)),
                    ("$now", now));
                change = reply.DeletedAt is null ? ReplyChange.Added : ReplyChange.Deleted;
            }
            else if (reply.DeletedAt is { } deletedAt)
            {
                if (current.DeletedAt is not null)
                {
                    return ReplyChange.Unchanged;
                }
                await session.ExecuteAsync("UPDATE thread_replies SET deleted_at = $del, updated_at = $now WHERE reply_id = $id", cancellationToken,
                    ("$id", reply.ReplyId), ("$del", SqliteTime.Format(deletedAt)), ("$now", now));
                change = ReplyChange.Deleted;
            }
            // A Graph copy that was never edited (modified = created) does not replace a stored text: the live and the Graph
            // rendering of one message may differ in markup, and that is not an edit.
            else if (current.DeletedAt is null && reply.Text != current.Text && reply.ModifiedAt >= current.ModifiedAt
                     && !(reply.Source == ReplySource.Graph && reply.ModifiedAt <= reply.CreatedAt))
            {
                await session.ExecuteAsync("INSERT OR IGNORE INTO thread_reply_history (reply_id, version, text, modified_at) VALUES ($id, $v, $t, $mod)",
                    cancellationToken, ("$id", current.ReplyId), ("$v", current.Version), ("$t", current.Text), ("$mod", SqliteTime.Format(current.ModifiedAt)));
                await session.ExecuteAsync("""
                    UPDATE thread_replies SET text = $t, version = version + 1, modified_at = $mod, updated_at = $now,
                        user_name = COALESCE($n, user_name), user_aad_object_id = COALESCE($u, user_aad_object_id)
                    WHERE reply_id = $id
                    """, cancellationToken, ("$id", reply.ReplyId), ("$t", reply.Text), ("$mod", SqliteTime.Format(reply.ModifiedAt)), ("$n", reply.AuthorName),
                    ("$u", reply.AuthorAadObjectId), ("$now", now));
                change = ReplyChange.Edited;
            }
            else
            {
                return ReplyChange.Unchanged;
            }
            // A reply first seen already deleted never reaches the list; every other change is copied there.
            if (current is not null || change != ReplyChange.Deleted)
            {
                await QueueSyncAsync(session, reply.ReplyId, now, cancellationToken);
            }
            return change;
        }, cancellationToken, System.Data.IsolationLevel.Serializable);

    /// <summary>
    /// Marks a reply deleted (a live delete) and queues the change for the SharePoint list. Returns false when the reply
    /// is not stored (a delete in an untracked thread, or of a reply never seen: the catch-up will see it deleted and
    /// store nothing visible).
    /// </summary>
    public Task<bool> MarkDeletedAsync(string replyId, DateTimeOffset deletedAt, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async session =>
        {
            var now = SqliteTime.Format(time.GetUtcNow());
            if (await session.ScalarAsync<long>("SELECT COUNT(*) FROM thread_replies WHERE reply_id = $id", cancellationToken, ("$id", replyId)) == 0)
            {
                return false;
            }
            if (await session.ExecuteAsync("UPDATE thread_replies SET deleted_at = $del, updated_at = $now WHERE reply_id = $id AND deleted_at IS NULL",
                    cancellationToken, ("$id", replyId), ("$del", SqliteTime.Format(deletedAt)), ("$now", now)) > 0)
            {
                await QueueSyncAsync(session, replyId, now, cancellationToken);
            }
            return true;
        }, cancellationToken, System.Data.IsolationLevel.Serializable);

    /// <summary>The stored reply with this id (deleted or not), or null.</summary>
    public async Task<StoredReply?> FindAsync(string replyId, CancellationToken cancellationToken) =>
        (await database.QueryAsync($"{ReplySelect} WHERE reply_id = $id", ReadReply, cancellationToken, ("$id", replyId))).SingleOrDefault();

    /// <summary>Earlier texts of an edited reply, oldest first.</summary>
    public async Task<IReadOnlyList<(int Version, string Text, DateTimeOffset ModifiedAt)>> HistoryAsync(string replyId, CancellationToken cancellationToken) =>
        await database.QueryAsync("SELECT version, text, modified_at FROM thread_reply_history WHERE reply_id = $id ORDER BY version",
            r => (r.GetInt32(0), r.GetString(1), SqliteTime.Parse(r.GetString(2))), cancellationToken, ("$id", replyId));

    /// <summary>
    /// The replies that count as feedback (deleted ones left out), newest first, optionally for one wave and department.
    /// <paramref name="includeDeleted"/> is for diagnostics only.
    /// </summary>
    public async Task<IReadOnlyList<StoredReply>> ListAsync(string? waveId = null, string? departmentId = null, bool includeDeleted = false, CancellationToken cancellationToken = default) =>
        await database.QueryAsync($"""
            {ReplySelect}
            WHERE ($w IS NULL OR wave_id = $w) AND ($d IS NULL OR department_id = $d) AND ($all = 1 OR deleted_at IS NULL)
            ORDER BY created_at DESC, reply_id
            """, ReadReply, cancellationToken, ("$w", waveId), ("$d", departmentId), ("$all", includeDeleted ? 1 : 0));

    // ---- SharePoint copy queue (thread_reply_sync; run by FeedbackSync like the survey answers' feedback_sync) ----

    /// <summary>Replies with a change not yet in the SharePoint list whose next attempt is due, oldest attempt first.</summary>
    public async Task<IReadOnlyList<ReplySyncWork>> DueSyncAsync(int limit, CancellationToken cancellationToken) =>
        await database.QueryAsync($"""
            {SyncSelect} WHERE s.synced_generation < s.generation AND s.next_attempt_at <= $now ORDER BY s.next_attempt_at LIMIT $n
            """, ReadSync, cancellationToken, ("$now", SqliteTime.Format(time.GetUtcNow())), ("$n", limit));

    /// <summary>A reply's place in the SharePoint copy queue, or null when it was never queued.</summary>
    public async Task<ReplySyncWork?> FindSyncAsync(string replyId, CancellationToken cancellationToken) =>
        (await database.QueryAsync($"{SyncSelect} WHERE s.reply_id = $id", ReadSync, cancellationToken, ("$id", replyId))).SingleOrDefault();

    /// <summary>Recorded before the POST: after a crash the next attempt looks the item up by correlation id first.</summary>
    public Task MarkSyncPostStartedAsync(string replyId, CancellationToken cancellationToken) =>
        ExecuteSyncAsync("UPDATE thread_reply_sync SET post_started = 1, updated_at = $now WHERE reply_id = $id", replyId, cancellationToken);

    /// <summary>Stores the list item id found (or forgets it when null), without claiming a generation.</summary>
    public Task SetSyncItemIdAsync(string replyId, string? itemId, CancellationToken cancellationToken) =>
        ExecuteSyncAsync("""
            UPDATE thread_reply_sync SET item_id = $item, post_started = CASE WHEN $item IS NULL THEN 0 ELSE post_started END, updated_at = $now
            WHERE reply_id = $id
            """, replyId, cancellationToken, ("$item", itemId));

    /// <summary>
    /// The change counted <paramref name="generation"/> is in the list (item <paramref name="itemId"/>; null when the reply
    /// was deleted before it ever reached the list); clears the failure count.
    /// </summary>
    public Task MarkSyncedAsync(string replyId, string? itemId, int generation, CancellationToken cancellationToken) =>
        ExecuteSyncAsync("""
            UPDATE thread_reply_sync SET item_id = COALESCE($item, item_id), synced_generation = MAX(synced_generation, $g), attempts = 0,
                last_error = NULL, updated_at = $now
            WHERE reply_id = $id
            """, replyId, cancellationToken, ("$item", itemId), ("$g", generation));

    /// <summary>Records a failed attempt and when to try again.</summary>
    public Task MarkSyncFailedAsync(string replyId, string failure, DateTimeOffset nextAttempt, CancellationToken cancellationToken) =>
        ExecuteSyncAsync("""
            UPDATE thread_reply_sync SET attempts = attempts + 1, last_error = $e, next_attempt_at = $next, updated_at = $now WHERE reply_id = $id
            """, replyId, cancellationToken, ("$e", failure.Length > 500 ? failure[..500] : failure), ("$next", SqliteTime.Format(nextAttempt)));

    /// <summary>Per queued reply: its list item id (null until known) and whether its latest change is in the list.</summary>
    public async Task<IReadOnlyDictionary<string, (string? ItemId, bool Synced)>> SyncStatesAsync(CancellationToken cancellationToken) =>
        (await database.QueryAsync("SELECT reply_id, item_id, synced_generation >= generation FROM thread_reply_sync",
            r => (Id: r.GetString(0), ItemId: r.GetStringOrNull(1), Synced: r.GetInt64(2) == 1), cancellationToken))
        .ToDictionary(s => s.Id, s => (s.ItemId, s.Synced), StringComparer.Ordinal);

    /// <summary>Replies whose latest change is in the list, waiting, and waiting after at least one failure.</summary>
    public async Task<(int Synced, int Pending, int Failing)> SyncCountsAsync(CancellationToken cancellationToken) =>
        (await database.QueryAsync("""
            SELECT
                COALESCE(SUM(CASE WHEN synced_generation >= generation THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN synced_generation < generation AND attempts = 0 THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN synced_generation < generation AND attempts > 0 THEN 1 ELSE 0 END), 0)
            FROM thread_reply_sync
            """, r => (r.GetInt32(0), r.GetInt32(1), r.GetInt32(2)), cancellationToken)).Single();

    /// <summary>
    /// Queues a reply's current state for the list: the first change creates the queue row (its correlation id fixed
    /// before any POST), later ones count up the generation. A running Retry-After wait is kept.
    /// </summary>
    private static Task<int> QueueSyncAsync(SqliteSession session, string replyId, string now, CancellationToken cancellationToken) =>
        session.ExecuteAsync("""
            INSERT INTO thread_reply_sync (reply_id, correlation_id, generation, next_attempt_at, updated_at) VALUES ($id, $c, 1, $now, $now)
            ON CONFLICT (reply_id) DO UPDATE SET generation = generation + 1,
                next_attempt_at = MAX(next_attempt_at, excluded.next_attempt_at), updated_at = excluded.updated_at
            """, cancellationToken, ("$id", replyId), ("$c", IThreadReplyStore.CorrelationPrefix + replyId), ("$now", now));

    private Task<int> ExecuteSyncAsync(string sql, string replyId, CancellationToken cancellationToken, params (string Name, object? Value)[] args) =>
        database.ExecuteAsync(sql, cancellationToken, [("$id", replyId), ("$now", SqliteTime.Format(time.GetUtcNow())), .. args]);

    /// <summary>Records a catch-up of one root: when it last succeeded, or the error and when to try again.</summary>
    public Task RecordPollAsync(string rootMessageId, DateTimeOffset nextPollAt, string? failure, CancellationToken cancellationToken) =>
        database.ExecuteAsync(failure is null
            ? "UPDATE thread_roots SET last_polled_at = $now, next_poll_at = $next, poll_attempts = 0, poll_error = NULL WHERE root_message_id = $r"
            : "UPDATE thread_roots SET next_poll_at = $next, poll_attempts = poll_attempts + 1, poll_error = $e WHERE root_message_id = $r",
            cancellationToken, ("$r", rootMessageId), ("$now", SqliteTime.Format(time.GetUtcNow())), ("$next", SqliteTime.Format(nextPollAt)), ("$e", failure));

    /// <summary>
    /// Puts a root's catch-up off until <paramref name="nextPollAt"/> for a reason that is not a failed Graph call (the
    /// team's group id is not known yet): no attempt is counted, so the start-up catch-up still reads it.
    /// </summary>
    public Task DeferPollAsync(string rootMessageId, DateTimeOffset nextPollAt, string reason, CancellationToken cancellationToken) =>
        database.ExecuteAsync("UPDATE thread_roots SET next_poll_at = $next, poll_error = $e WHERE root_message_id = $r",
            cancellationToken, ("$r", rootMessageId), ("$next", SqliteTime.Format(nextPollAt)), ("$e", reason));

    /// <summary>
    /// Roots whose catch-up is due at <paramref name="now"/>, with the failed attempts so far. With
    /// <paramref name="startUp"/> also every root read successfully before whose next interval has not come yet (replies
    /// may have been sent while the bot was down); roots waiting out a Graph failure (Retry-After, backoff) keep waiting.
    /// </summary>
    public async Task<IReadOnlyList<(ThreadRoot Root, int Attempts)>> DueForPollAsync(DateTimeOffset now, CancellationToken cancellationToken, bool startUp = false) =>
        await database.QueryAsync("""
            SELECT root_message_id, channel_id, team_id,
                COALESCE(team_aad_group_id, (SELECT c.team_aad_group_id FROM conversations c
                    WHERE c.team_id = thread_roots.team_id AND c.team_aad_group_id IS NOT NULL LIMIT 1)),
                wave_id, department_id, message_id, posted_at, poll_attempts
            FROM thread_roots WHERE next_poll_at IS NULL OR next_poll_at <= $now OR ($startUp = 1 AND poll_attempts = 0) ORDER BY posted_at
            """, r => (ReadRoot(r), r.GetInt32(8)), cancellationToken, ("$now", SqliteTime.Format(now)), ("$startUp", startUp ? 1 : 0));

    private const string RootSelect =
        "SELECT root_message_id, channel_id, team_id, team_aad_group_id, wave_id, department_id, message_id, posted_at FROM thread_roots";

    private const string ReplySelect = """
        SELECT reply_id, root_message_id, user_aad_object_id, user_name, wave_id, department_id, message_id, text, version,
            created_at, modified_at, deleted_at, source FROM thread_replies
        """;

    private const string SyncSelect = """
        SELECT r.reply_id, r.root_message_id, r.user_aad_object_id, r.user_name, r.wave_id, r.department_id, r.message_id, r.text, r.version,
            r.created_at, r.modified_at, r.deleted_at, r.source,
            s.correlation_id, s.item_id, s.post_started, s.generation, s.attempts, s.last_error
        FROM thread_reply_sync s JOIN thread_replies r ON r.reply_id = s.reply_id
        """;

    private static ReplySyncWork ReadSync(SqliteDataReader r) => new(
        ReadReply(r), r.GetString(13), r.GetStringOrNull(14), r.GetInt64(15) == 1, r.GetInt32(16), r.GetInt32(17),
        r.GetStringOrNull(18));

    private static ThreadRoot ReadRoot(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetStringOrNull(2), r.GetStringOrNull(3),
        r.GetString(4), r.GetString(5), r.GetString(6), SqliteTime.Parse(r.GetString(7)));

    private static StoredReply ReadReply(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetStringOrNull(2), r.GetStringOrNull(3),
        r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7), r.GetInt32(8),
        SqliteTime.Parse(r.GetString(9)), SqliteTime.Parse(r.GetString(10)), r.IsDBNull(11) ? null : SqliteTime.Parse(r.GetString(11)),
        r.GetString(12) == "graph" ? ReplySource.Graph : ReplySource.Live);

    private static string SourceText(ReplySource source) => source == ReplySource.Graph ? "graph" : "live";
}
