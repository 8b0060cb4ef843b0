using Microsoft.Data.Sqlite;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Storage.Sqlite;

/// <summary>
/// <see cref="IDeliveryStore"/> on the one SQLite file. Times are Unix milliseconds. A lease moves the job's due time
/// to the lease expiry, so "due" and "lease expired" are one indexed condition (<c>state, due_at</c>) and leasing is
/// one <c>UPDATE … RETURNING</c>.
/// </summary>
public sealed class SqliteDeliveryStore(SqliteDatabase database, SqliteConversationStore conversations, TimeProvider time) : IDeliveryStore
{
    private const string JobColumns = "job_key, send_key, wave_id, message_id, department_id, kind, target, language, due_at, attempts, install_requested";

    public async Task<int> RegisterSendsAsync(IReadOnlyCollection<PlannedSend> sends, CancellationToken cancellationToken)
    {
        if (sends.Count == 0)
        {
            return 0;
        }
        var now = Now();
        return await database.InTransactionAsync(async session =>
        {
            const string count = "SELECT COUNT(*) FROM planned_sends";
            var before = await session.ScalarAsync<long>(count, cancellationToken);
            foreach (var send in sends)
            {
                await session.ExecuteAsync("""
                    INSERT INTO planned_sends (send_key, wave_id, message_id, department_id, audience, due_at, template, phase, subject, state, updated_at)
                    VALUES ($key, $wave, $message, $department, $audience, $due, $template, $phase, $subject, 'Pending', $now)
                    ON CONFLICT (send_key) DO UPDATE SET due_at = excluded.due_at, template = excluded.template, phase = excluded.phase,
                        subject = excluded.subject, updated_at = excluded.updated_at, state = 'Pending',
                        detail = CASE WHEN planned_sends.state = 'Cancelled' THEN NULL ELSE planned_sends.detail END
                    WHERE state = 'Cancelled' OR (state = 'Pending' AND (due_at <> excluded.due_at OR template <> excluded.template OR phase <> excluded.phase
                        OR IFNULL(subject, '') <> IFNULL(excluded.subject, '')))
                    """, cancellationToken,
                    ("$key", send.Key), ("$wave", send.WaveId), ("$message", send.MessageId), ("$department", send.DepartmentId),
                    ("$audience", send.Audience.ToString()), ("$due", Ms(send.DueUtc)), ("$template", send.Template), ("$phase", send.Phase),
                    ("$subject", send.Subject), ("$now", now));
            }
            return (int)(await session.ScalarAsync<long>(count, cancellationToken) - before);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<PlannedSendRecord>> GetDueSendsAsync(DateTimeOffset nowUtc, CancellationToken cancellationToken) =>
        await QuerySendsAsync("SELECT * FROM planned_sends WHERE state = 'Pending' AND due_at <= $p ORDER BY due_at, send_key", Ms(nowUtc), cancellationToken);

    public async Task<PlannedSendRecord?> FindSendAsync(string sendKey, CancellationToken cancellationToken) =>
        await QuerySendsAsync("SELECT * FROM planned_sends WHERE send_key = $p", sendKey, cancellationToken) is [var found, ..] ? found : null;

    public async Task<IReadOnlyList<PlannedSendRecord>> GetUnreportedMissedAsync(CancellationToken cancellationToken) =>
        await QuerySendsAsync("SELECT * FROM planned_sends WHERE state = 'Missed' AND reported_at IS NULL AND $p = $p ORDER BY due_at", 0, cancellationToken);

    public Task MarkSendAsync(string sendKey, PlannedSendState state, int jobCount, string? detail, CancellationToken cancellationToken) =>
        database.ExecuteAsync("UPDATE planned_sends SET state = $state, job_count = $count, detail = $detail, updated_at = $now WHERE send_key = $key",
            cancellationToken, ("$state", state.ToString()), ("$count", jobCount), ("$detail", detail), ("$now", Now()), ("$key", sendKey));

    public Task MarkMissedReportedAsync(string sendKey, DateTimeOffset atUtc, CancellationToken cancellationToken) =>
        database.ExecuteAsync("UPDATE planned_sends SET reported_at = $at WHERE send_key = $key", cancellationToken, ("$at", Ms(atUtc)), ("$key", sendKey));

    public async Task<IReadOnlyList<(PlannedSendRecord Send, int QueuedJobs)>> GetOpenSendsAsync(CancellationToken cancellationToken)
    {
        var queued = await database.QueryAsync("""
            SELECT send_key, COUNT(*) FROM outbox WHERE state = 'Queued' GROUP BY send_key
            """, reader => (Key: reader.GetString(0), Count: reader.GetInt32(1)), cancellationToken);
        var counts = queued.ToDictionary(q => q.Key, q => q.Count, StringComparer.Ordinal);
        var sends = await QuerySendsAsync("SELECT * FROM planned_sends WHERE state IN ('Pending', 'Expanded') AND $p = $p ORDER BY due_at, send_key", 0, cancellationToken);
        return [.. sends
            .Select(s => (Send: s, QueuedJobs: counts.GetValueOrDefault(s.Send.Key)))
            .Where(s => s.Send.State == PlannedSendState.Pending || s.QueuedJobs > 0)];
    }

    public async Task<int?> CancelSendAsync(string sendKey, string reason, CancellationToken cancellationToken)
    {
        var now = Now();
        return await database.InTransactionAsync<int?>(async session =>
        {
            var open = await session.ExecuteAsync("""
                UPDATE planned_sends SET state = 'Cancelled', detail = $reason, updated_at = $now
                WHERE send_key = $key AND (state = 'Pending'
                    OR (state = 'Expanded' AND EXISTS (SELECT 1 FROM outbox WHERE send_key = $key AND state = 'Queued')))
                """, cancellationToken, ("$reason", reason), ("$now", now), ("$key", sendKey));
            if (open == 0)
            {
                return null;
            }
            return await session.ExecuteAsync("""
                UPDATE outbox SET state = 'Skipped', outcome = 'Skipped', detail = $reason, status_code = NULL, lease_owner = NULL, updated_at = $now
                WHERE send_key = $key AND state = 'Queued'
                """, cancellationToken, ("$reason", reason), ("$now", now), ("$key", sendKey));
        }, cancellationToken);
    }

    public Task<string?> FreezeContentAsync(string sendKey, string content, CancellationToken cancellationToken) =>
        database.ScalarAsync<string>(
            "UPDATE planned_sends SET content = $c WHERE send_key = $k AND content IS NULL; SELECT content FROM planned_sends WHERE send_key = $k",
            cancellationToken, ("$k", sendKey), ("$c", content));

    public async Task<int> EnqueueAsync(IReadOnlyCollection<OutboxJob> jobs, CancellationToken cancellationToken)
    {
        if (jobs.Count == 0)
        {
            return 0;
        }
        var now = Now();
        return await database.InTransactionAsync(async session =>
        {
            var added = 0;
            foreach (var job in jobs)
            {
                added += await session.ExecuteAsync("""
                    INSERT INTO outbox (job_key, send_key, wave_id, message_id, department_id, kind, target, language, state, due_at, created_at, updated_at)
                    VALUES ($key, $send, $wave, $message, $department, $kind, $target, $language, 'Queued', $due, $now, $now)
                    ON CONFLICT (job_key) DO NOTHING
                    """, cancellationToken,
                    ("$key", job.Key), ("$send", job.SendKey), ("$wave", job.WaveId), ("$message", job.MessageId), ("$department", job.DepartmentId),
                    ("$kind", job.Kind.ToString()), ("$target", job.Target), ("$language", job.Language), ("$due", Ms(job.DueUtc)), ("$now", now));
            }
            return added;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<LeasedJob>> LeaseAsync(string owner, int max, DateTimeOffset nowUtc, TimeSpan leaseFor, CancellationToken cancellationToken)
    {
        if (max <= 0)
        {
            return [];
        }
        var until = nowUtc + leaseFor;
        return await database.QueryAsync($"""
            UPDATE outbox SET lease_owner = $owner, due_at = $until, updated_at = $now
            WHERE id IN (SELECT id FROM outbox WHERE state = 'Queued' AND due_at <= $now
                AND wave_id NOT IN ({TeamsRolloutBot.Commands.WaveStates.HeldWaveIdsSql}) ORDER BY due_at, id LIMIT $max)
            RETURNING {JobColumns}
            """, reader => new LeasedJob(ReadJob(reader), reader.GetInt32(9), reader.GetInt64(10) == 1, until), cancellationToken,
            ("$owner", owner), ("$until", Ms(until)), ("$now", Ms(nowUtc)), ("$max", max));
    }

    public Task CompleteAsync(string jobKey, DeliveryResult result, CancellationToken cancellationToken) =>
        database.ConnectAsync(session => CompleteAsync(session, jobKey, result, cancellationToken), cancellationToken);

    public Task RescheduleAsync(string jobKey, DateTimeOffset dueUtc, DeliveryResult result, bool countAttempt, bool installRequested, CancellationToken cancellationToken) =>
        database.ConnectAsync(session => RescheduleAsync(session, jobKey, dueUtc, result, countAttempt, installRequested, cancellationToken), cancellationToken);

    public async Task RecordAsync(IReadOnlyCollection<JobUpdate> updates, CancellationToken cancellationToken)
    {
        if (updates.Count == 0)
        {
            return;
        }
        await database.InTransactionAsync(async session =>
        {
            foreach (var update in updates)
            {
                await (update.RetryAt is { } due
                    ? RescheduleAsync(session, update.Key, due, update.Result, update.CountAttempt, update.InstallRequested, cancellationToken)
                    : CompleteAsync(session, update.Key, update.Result, cancellationToken));
            }
            return updates.Count;
        }, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, StoredConversation>> FindPersonalConversationsAsync(IReadOnlyCollection<string> userAadObjectIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, StoredConversation>(StringComparer.OrdinalIgnoreCase);
        if (userAadObjectIds.Count == 0)
        {
            return found;
        }
        // Entra object ids are GUIDs whose case differs between sources; the index is case-sensitive, so ask for the
        // id as given and in both cases.
        var variants = userAadObjectIds.SelectMany(id => new[] { id, id.ToLowerInvariant(), id.ToUpperInvariant() }).Distinct(StringComparer.Ordinal);
        return await database.ConnectAsync(async session =>
        {
            foreach (var chunk in variants.Chunk(500))
            {
                var parameters = chunk.Select((id, i) => ("$u" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), (object?)id)).ToArray();
                // Same choice as ConversationStore.FindPersonalAsync: installed first, then the newest.
                var rows = await session.QueryAsync($"""
                    SELECT conversation_id, channel_id, service_url, conversation_type, tenant_id, bot_id, user_id, user_aad_object_id,
                        team_id, team_aad_group_id, team_channel_id, locale, installed, welcomed_at
                    FROM conversations WHERE conversation_type = 'personal' AND user_aad_object_id IN ({string.Join(", ", parameters.Select(p => p.Item1))})
                    ORDER BY installed ASC, updated_at ASC
                    """, SqliteConversationStore.Read, cancellationToken, parameters);
                foreach (var row in rows)
                {
                    // Later rows win: installed and newest last.
                    found[row.Reference.UserAadObjectId!] = row;
                }
            }
            return found;
        }, cancellationToken);
    }

    public async Task ReleaseAsync(IReadOnlyCollection<string> jobKeys, DateTimeOffset dueUtc, CancellationToken cancellationToken)
    {
        if (jobKeys.Count == 0)
        {
            return;
        }
        var now = Now();
        await database.InTransactionAsync(async session =>
        {
            foreach (var jobKey in jobKeys)
            {
                await session.ExecuteAsync("UPDATE outbox SET due_at = $due, lease_owner = NULL, updated_at = $now WHERE job_key = $key AND state = 'Queued'",
                    cancellationToken, ("$due", Ms(dueUtc)), ("$now", now), ("$key", jobKey));
            }
            return jobKeys.Count;
        }, cancellationToken);
    }

    public async Task<string> GetOrAddSettingAsync(string key, string value, CancellationToken cancellationToken) =>
        (await database.ScalarAsync<string>(
            "INSERT INTO delivery_settings (key, value) VALUES ($k, $v) ON CONFLICT (key) DO NOTHING; SELECT value FROM delivery_settings WHERE key = $k",
            cancellationToken, ("$k", key), ("$v", value)))!;

    // Jobs of paused or cancelled waves (lead commands) are not due until the wave is resumed.
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) =>
        await database.ScalarAsync<long?>($"SELECT MIN(due_at) FROM outbox WHERE state = 'Queued' AND wave_id NOT IN ({TeamsRolloutBot.Commands.WaveStates.HeldWaveIdsSql})",
            cancellationToken) is { } ms ? FromMs(ms) : null;

    public async Task<IReadOnlyList<WaveProgress>> GetProgressAsync(DateTimeOffset sinceUtc, CancellationToken cancellationToken) =>
        await database.QueryAsync("""
            SELECT o.wave_id, o.message_id, COUNT(*),
                SUM(o.state = 'Delivered'), SUM(o.state = 'Failed'), SUM(o.state = 'Skipped'), SUM(o.state = 'Queued'),
                MAX(CASE WHEN o.state <> 'Queued' THEN o.updated_at END)
            FROM outbox o
            JOIN (SELECT DISTINCT wave_id, message_id FROM outbox WHERE state = 'Queued' OR updated_at >= $since) a
                ON a.wave_id = o.wave_id AND a.message_id = o.message_id
            GROUP BY o.wave_id, o.message_id
            ORDER BY o.wave_id, o.message_id
            """, reader => new WaveProgress(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4),
                reader.GetInt32(5), reader.GetInt32(6), reader.IsDBNull(7) ? null : FromMs(reader.GetInt64(7))),
            cancellationToken, ("$since", Ms(sinceUtc)));

    public async Task<IReadOnlyList<DeliveryLogEntry>> GetDeliveryLogAsync(string target, CancellationToken cancellationToken) =>
        await QueryLogAsync("SELECT * FROM outbox WHERE target = $p ORDER BY id DESC", target, cancellationToken);

    public async Task<(bool HasJobs, IReadOnlyList<string> Delivered)> GetDeliveredPeopleAsync(string waveId, string messageId, string departmentId, CancellationToken cancellationToken)
    {
        var jobs = await database.QueryAsync("""
            SELECT target, state FROM outbox
            WHERE wave_id = $w AND message_id = $m AND department_id = $d AND kind = 'Personal'
            """, reader => (Target: reader.GetString(0), State: reader.GetString(1)), cancellationToken, ("$w", waveId), ("$m", messageId), ("$d", departmentId));
        return (jobs.Count > 0, jobs.Where(j => j.State == nameof(JobState.Delivered)).Select(j => j.Target).ToList());
    }

    public async Task<IReadOnlyList<PersonalDelivery>> GetPersonalDeliveriesAsync(string waveId, string messageId, string departmentId, CancellationToken cancellationToken) =>
        // A delivered job is final: its updated_at is the moment the delivery was recorded.
        await database.QueryAsync("""
            SELECT target, updated_at FROM outbox
            WHERE wave_id = $w AND message_id = $m AND department_id = $d AND kind = 'Personal' AND state = 'Delivered'
            ORDER BY updated_at, target
            """, reader => new PersonalDelivery(reader.GetString(0), FromMs(reader.GetInt64(1))), cancellationToken,
            ("$w", waveId), ("$m", messageId), ("$d", departmentId));

    public async Task<DeliveryLogEntry?> FindJobAsync(string jobKey, CancellationToken cancellationToken) =>
        await QueryLogAsync("SELECT * FROM outbox WHERE job_key = $p", jobKey, cancellationToken) is [var found, ..] ? found : null;

    public async Task<ProgressCard?> FindProgressCardAsync(string waveId, string messageId, string leadId, CancellationToken cancellationToken) =>
        await database.QueryAsync("SELECT conversation_id, service_url, activity_id, final FROM progress_cards WHERE wave_id = $w AND message_id = $m AND lead_id = $l",
            reader => new ProgressCard(waveId, messageId, leadId, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3) == 1),
            cancellationToken, ("$w", waveId), ("$m", messageId), ("$l", leadId)) is [var found, ..] ? found : null;

    public Task SaveProgressCardAsync(ProgressCard card, CancellationToken cancellationToken) =>
        database.ExecuteAsync("""
            INSERT INTO progress_cards (wave_id, message_id, lead_id, conversation_id, service_url, activity_id, final, updated_at)
            VALUES ($w, $m, $l, $c, $s, $a, $f, $now)
            ON CONFLICT (wave_id, message_id, lead_id) DO UPDATE SET conversation_id = excluded.conversation_id,
                service_url = excluded.service_url, activity_id = excluded.activity_id, final = excluded.final, updated_at = excluded.updated_at
            """, cancellationToken, ("$w", card.WaveId), ("$m", card.MessageId), ("$l", card.LeadId), ("$c", card.ConversationId),
            ("$s", card.ServiceUrl), ("$a", card.ActivityId), ("$f", card.Final ? 1 : 0), ("$now", Now()));

    public Task<StoredConversation?> FindPersonalConversationAsync(string userAadObjectId, CancellationToken cancellationToken) =>
        conversations.FindPersonalAsync(userAadObjectId, cancellationToken);

    public Task<StoredConversation?> FindConversationAsync(string conversationId, CancellationToken cancellationToken) =>
        conversations.FindAsync(conversationId, cancellationToken);

    public Task<string?> LatestServiceUrlAsync(CancellationToken cancellationToken) =>
        database.ScalarAsync<string>("SELECT service_url FROM conversations ORDER BY updated_at DESC LIMIT 1", cancellationToken);

    public Task SaveConversationAsync(ConversationReference reference, CancellationToken cancellationToken) =>
        conversations.UpsertAsync(reference, cancellationToken);

    public Task MarkConversationGoneAsync(string conversationId, CancellationToken cancellationToken) =>
        conversations.MarkUninstalledAsync(conversationId, cancellationToken);

    private async Task<IReadOnlyList<PlannedSendRecord>> QuerySendsAsync(string sql, object parameter, CancellationToken cancellationToken) =>
        await database.QueryAsync(sql, reader =>
        {
            var send = new PlannedSend(
                reader.GetStringOrNull("send_key")!, reader.GetStringOrNull("wave_id")!, reader.GetStringOrNull("message_id")!,
                reader.GetStringOrNull("department_id")!, Enum.Parse<SendAudience>(reader.GetStringOrNull("audience")!),
                FromMs(reader.GetInt64(reader.GetOrdinal("due_at"))),
                reader.GetStringOrNull("template")!, reader.GetStringOrNull("phase")!, reader.GetStringOrNull("subject"));
            var reported = reader.GetOrdinal("reported_at");
            return new PlannedSendRecord(send, Enum.Parse<PlannedSendState>(reader.GetStringOrNull("state")!), reader.GetInt32(reader.GetOrdinal("job_count")),
                reader.GetStringOrNull("detail"), reader.IsDBNull(reported) ? null : FromMs(reader.GetInt64(reported)), reader.GetStringOrNull("content"));
        }, cancellationToken, ("$p", parameter));

    private async Task<IReadOnlyList<DeliveryLogEntry>> QueryLogAsync(string sql, string parameter, CancellationToken cancellationToken) =>
        await database.QueryAsync(sql, reader => new DeliveryLogEntry(
            reader.GetStringOrNull("job_key")!, reader.GetStringOrNull("wave_id")!, reader.GetStringOrNull("message_id")!, reader.GetStringOrNull("department_id")!,
            Enum.Parse<DeliveryKind>(reader.GetStringOrNull("kind")!), reader.GetStringOrNull("target")!, Enum.Parse<JobState>(reader.GetStringOrNull("state")!),
            reader.GetStringOrNull("outcome") is { } outcome ? Enum.Parse<DeliveryOutcome>(outcome) : null,
            reader.GetStringOrNull("detail"),
            reader.GetInt32(reader.GetOrdinal("attempts")), reader.GetStringOrNull("conversation_id"), reader.GetStringOrNull("activity_id"),
            FromMs(reader.GetInt64(reader.GetOrdinal("updated_at")))), cancellationToken, ("$p", parameter));

    private Task<int> CompleteAsync(SqliteSession session, string jobKey, DeliveryResult result, CancellationToken cancellationToken) =>
        session.ExecuteAsync("""
            UPDATE outbox SET state = $state, outcome = $outcome, detail = $detail, status_code = $status,
                conversation_id = COALESCE($conversation, conversation_id), activity_id = COALESCE($activity, activity_id),
                attempts = attempts + 1, lease_owner = NULL, updated_at = $now
            WHERE job_key = $key
            """, cancellationToken, [.. ResultParameters(result), ("$state", StateOf(result.Outcome).ToString()), ("$key", jobKey)]);

    private Task<int> RescheduleAsync(SqliteSession session, string jobKey, DateTimeOffset dueUtc, DeliveryResult result, bool countAttempt, bool installRequested,
        CancellationToken cancellationToken) =>
        session.ExecuteAsync("""
            UPDATE outbox SET state = 'Queued', due_at = $due, outcome = $outcome, detail = $detail, status_code = $status,
                conversation_id = COALESCE($conversation, conversation_id), activity_id = COALESCE($activity, activity_id),
                attempts = attempts + $count, install_requested = MAX(install_requested, $install), lease_owner = NULL, updated_at = $now
            WHERE job_key = $key
            """, cancellationToken, [.. ResultParameters(result), ("$due", Ms(dueUtc)), ("$count", countAttempt ? 1 : 0),
            ("$install", installRequested ? 1 : 0), ("$key", jobKey)]);

    private static JobState StateOf(DeliveryOutcome outcome) => outcome switch
    {
        DeliveryOutcome.Delivered => JobState.Delivered,
        DeliveryOutcome.Skipped => JobState.Skipped,
        _ => JobState.Failed,
    };

    private static OutboxJob ReadJob(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Enum.Parse<DeliveryKind>(r.GetString(5)),
        r.GetString(6), r.GetStringOrNull(7), FromMs(r.GetInt64(8)));

    private (string Name, object? Value)[] ResultParameters(DeliveryResult result) =>
    [
        ("$outcome", result.Outcome.ToString()), ("$detail", Truncate(result.Detail)), ("$status", result.StatusCode),
        ("$conversation", result.ConversationId), ("$activity", result.ActivityId), ("$now", Now()),
    ];

    private static string? Truncate(string? text) => text is { Length: > 1000 } ? text[..1000] : text;

    private long Now() => Ms(time.GetUtcNow());

    private static long Ms(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
