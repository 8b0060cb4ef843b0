namespace TeamsRolloutBot.Storage.Sqlite;

/// <summary><see cref="IReplyOutbox"/> in the SQLite file (table <c>reply_outbox</c>); leasing is one UPDATE … RETURNING.</summary>
public sealed class SqliteReplyOutbox(SqliteDatabase database) : IReplyOutbox
{
    public Task AddAsync(PendingReply reply, CancellationToken cancellationToken) =>
        database.ExecuteAsync("""
            INSERT OR IGNORE INTO reply_outbox (id, service_url, conversation_id, reply_to_id, activity, attempts, due_at, created_at, last_error)
            VALUES ($id, $url, $conversation, $replyTo, $activity, $attempts, $due, $created, $error)
            """, cancellationToken,
            ("$id", reply.Id), ("$url", reply.ServiceUrl), ("$conversation", reply.ConversationId), ("$replyTo", reply.ReplyToId),
            ("$activity", reply.ActivityJson), ("$attempts", reply.Attempts), ("$due", SqliteTime.Format(reply.DueUtc)),
            ("$created", SqliteTime.Format(reply.CreatedUtc)), ("$error", reply.LastError));

    public async Task<IReadOnlyList<PendingReply>> LeaseDueAsync(DateTimeOffset nowUtc, int max, TimeSpan leaseFor, CancellationToken cancellationToken) =>
        [.. (await database.QueryAsync("""
            UPDATE reply_outbox SET due_at = $lease
            WHERE id IN (SELECT id FROM reply_outbox WHERE due_at <= $now ORDER BY due_at, created_at LIMIT $max)
            RETURNING *
            """, Read, cancellationToken, ("$now", SqliteTime.Format(nowUtc)), ("$lease", SqliteTime.Format(nowUtc + leaseFor)), ("$max", max)))
            .OrderBy(r => r.CreatedUtc)];

    public Task RemoveAsync(string id, CancellationToken cancellationToken) =>
        database.ExecuteAsync("DELETE FROM reply_outbox WHERE id = $id", cancellationToken, ("$id", id));

    public Task RescheduleAsync(string id, DateTimeOffset dueUtc, string reason, CancellationToken cancellationToken) =>
        database.ExecuteAsync("UPDATE reply_outbox SET attempts = attempts + 1, due_at = $due, last_error = $error WHERE id = $id",
            cancellationToken, ("$id", id), ("$due", SqliteTime.Format(dueUtc)), ("$error", reason));

    public async Task<int> CountAsync(CancellationToken cancellationToken) =>
        (int)await database.ScalarAsync<long>("SELECT COUNT(*) FROM reply_outbox", cancellationToken);

    private static PendingReply Read(Microsoft.Data.Sqlite.SqliteDataReader r) => new(
        r.GetString(r.GetOrdinal("id")), r.GetString(r.GetOrdinal("service_url")), r.GetString(r.GetOrdinal("conversation_id")),
        r.GetStringOrNull("reply_to_id"), r.GetString(r.GetOrdinal("activity")), r.GetInt32(r.GetOrdinal("attempts")),
        SqliteTime.Parse(r.GetString(r.GetOrdinal("due_at"))), SqliteTime.Parse(r.GetString(r.GetOrdinal("created_at"))),
        r.GetStringOrNull("last_error"));
}
