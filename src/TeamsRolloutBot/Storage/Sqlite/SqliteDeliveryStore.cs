// Over 400 lines on purpose: one class implements the whole IDeliveryStore contract on one schema (migration 2); splitting it
// would scatter the SQL that must agree on the outbox columns and the lease rule.
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
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = """
            INSERT INTO planned_sends (send_key, wave_id, message_id, department_id, audience, due_at, template, phase, subject, state, updated_at)
            VALUES ($key, $wave, $message, $department, $audience, $due, $template, $phase, $subject, 'Pending', $now)
            ON CONFLICT (send_key) DO UPDATE SET due_at = excluded.due_at, template = excluded.template, phase = excluded.phase,
                subject = excluded.subject, updated_at = excluded.updated_at
            WHERE state = 'Pending' AND (due_at <> excluded.due_at OR template <> excluded.template OR phase <> excluded.phase
                OR IFNULL(subject, '') <> IFNULL(excluded.subject, ''))
            """;
        var key = command.Parameters.Add("$key", SqliteType.Text);
        var wave = command.Parameters.Add("$wave", SqliteType.Text);
        var message = command.Parameters.Add("$message", SqliteType.Text);
        var department = command.Parameters.Add("$department", SqliteType.Text);
        var audience = command.Parameters.Add("$audience", SqliteType.Text);
        var due = command.Parameters.Add("$due", SqliteType.Integer);
        var template = command.Parameters.Add("$template", SqliteType.Text);
        var phase = command.Parameters.Add("$phase", SqliteType.Text);
        var subject = command.Parameters.Add("$subject", SqliteType.Text);
        command.Parameters.AddWithValue("$now", Now());
        var before = await CountAsync(connection, tx, "SELECT COUNT(*) FROM planned_sends", cancellationToken);
        foreach (var send in sends)
        {
            key.Value = send.Key;
            wave.Value = send.WaveId;
            message.Value = send.MessageId;
            department.Value = send.DepartmentId;
            audience.Value = send.Audience.ToString();
            due.Value = Ms(send.DueUtc);
            template.Value = send.Template;
            phase.Value = send.Phase;
            subject.Value = (object?)send.Subject ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        var after = await CountAsync(connection, tx, "SELECT COUNT(*) FROM planned_sends", cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return (int)(after - before);
    }

    public async Task<IReadOnlyList<PlannedSendRecord>> GetDueSendsAsync(DateTimeOffset nowUtc, CancellationToken cancellationToken) =>
        await QuerySendsAsync("SELECT * FROM planned_sends WHERE state = 'Pending' AND due_at <= $p ORDER BY due_at, send_key", Ms(nowUtc), cancellationToken);

    public async Task<PlannedSendRecord?> FindSendAsync(string sendKey, CancellationToken cancellationToken) =>
        await QuerySendsAsync("SELECT * FROM planned_sends WHERE send_key = $p", sendKey, cancellationToken) is [var found, ..] ? found : null;

    public async Task<IReadOnlyList<PlannedSendRecord>> GetUnreportedMissedAsync(CancellationToken cancellationToken) =>
        await QuerySendsAsync("SELECT * FROM planned_sends WHERE state = 'Missed' AND reported_at IS NULL AND $p = $p ORDER BY due_at", 0, cancellationToken);

    public async Task MarkSendAsync(string sendKey, PlannedSendState state, int jobCount, string? detail, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE planned_sends SET state = $state, job_count = $count, detail = $detail, updated_at = $now WHERE send_key = $key";
        command.Parameters.AddWithValue("$state", state.ToString());
        command.Parameters.AddWithValue("$count", jobCount);
        command.Parameters.AddWithValue("$detail", (object?)detail ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", Now());
        command.Parameters.AddWithValue("$key", sendKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task MarkMissedReportedAsync(string sendKey, DateTimeOffset atUtc, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE planned_sends SET reported_at = $at WHERE send_key = $key";
        command.Parameters.AddWithValue("$at", Ms(atUtc));
        command.Parameters.AddWithValue("$key", sendKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> EnqueueAsync(IReadOnlyCollection<OutboxJob> jobs, CancellationToken cancellationToken)
    {
        if (jobs.Count == 0)
        {
            return 0;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = """
            INSERT INTO outbox (job_key, send_key, wave_id, message_id, department_id, kind, target, language, state, due_at, created_at, updated_at)
            VALUES ($key, $send, $wave, $message, $department, $kind, $target, $language, 'Queued', $due, $now, $now)
            ON CONFLICT (job_key) DO NOTHING
            """;
        var key = command.Parameters.Add("$key", SqliteType.Text);
        var send = command.Parameters.Add("$send", SqliteType.Text);
        var wave = command.Parameters.Add("$wave", SqliteType.Text);
        var message = command.Parameters.Add("$message", SqliteType.Text);
        var department = command.Parameters.Add("$department", SqliteType.Text);
        var kind = command.Parameters.Add("$kind", SqliteType.Text);
        var target = command.Parameters.Add("$target", SqliteType.Text);
        var language = command.Parameters.Add("$language", SqliteType.Text);
        var due = command.Parameters.Add("$due", SqliteType.Integer);
        command.Parameters.AddWithValue("$now", Now());
        await command.PrepareAsync(cancellationToken);
        var added = 0;
        foreach (var job in jobs)
        {
            key.Value = job.Key;
            send.Value = job.SendKey;
            wave.Value = job.WaveId;
            message.Value = job.MessageId;
            department.Value = job.DepartmentId;
            kind.Value = job.Kind.ToString();
            target.Value = job.Target;
            language.Value = (object?)job.Language ?? DBNull.Value;
            due.Value = Ms(job.DueUtc);
            added += await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
        return added;
    }

    public async Task<IReadOnlyList<LeasedJob>> LeaseAsync(string owner, int max, DateTimeOffset nowUtc, TimeSpan leaseFor, CancellationToken cancellationToken)
    {
        if (max <= 0)
        {
            return [];
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            UPDATE outbox SET lease_owner = $owner, due_at = $until, updated_at = $now
            WHERE id IN (SELECT id FROM outbox WHERE state = 'Queued' AND due_at <= $now
                AND wave_id NOT IN ({TeamsRolloutBot.Commands.WaveStates.HeldWaveIdsSql}) ORDER BY due_at, id LIMIT $max)
            RETURNING {JobColumns}
            """;
        var until = nowUtc + leaseFor;
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$until", Ms(until));
        command.Parameters.AddWithValue("$now", Ms(nowUtc));
        command.Parameters.AddWithValue("$max", max);
        var leased = new List<LeasedJob>(max);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            leased.Add(new LeasedJob(ReadJob(reader), reader.GetInt32(9), reader.GetInt64(10) == 1, until));
        }
        return leased;
    }

    public async Task CompleteAsync(string jobKey, DeliveryResult result, CancellationToken cancellationToken)
    {
        var state = StateOf(result.Outcome);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE outbox SET state = $state, outcome = $outcome, detail = $detail, status_code = $status,
                conversation_id = COALESCE($conversation, conversation_id), activity_id = COALESCE($activity, activity_id),
                attempts = attempts + 1, lease_owner = NULL, updated_at = $now
            WHERE job_key = $key
            """;
        AddResult(command, result);
        command.Parameters.AddWithValue("$state", state.ToString());
        command.Parameters.AddWithValue("$key", jobKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RescheduleAsync(string jobKey, DateTimeOffset dueUtc, DeliveryResult result, bool countAttempt, bool installRequested, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE outbox SET state = 'Queued', due_at = $due, outcome = $outcome, detail = $detail, status_code = $status,
                conversation_id = COALESCE($conversation, conversation_id), activity_id = COALESCE($activity, activity_id),
                attempts = attempts + $count, install_requested = MAX(install_requested, $install), lease_owner = NULL, updated_at = $now
            WHERE job_key = $key
            """;
        AddResult(command, result);
        command.Parameters.AddWithValue("$due", Ms(dueUtc));
        command.Parameters.AddWithValue("$count", countAttempt ? 1 : 0);
        command.Parameters.AddWithValue("$install", installRequested ? 1 : 0);
        command.Parameters.AddWithValue("$key", jobKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RecordAsync(IReadOnlyCollection<JobUpdate> updates, CancellationToken cancellationToken)
    {
        if (updates.Count == 0)
        {
            return;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var complete = connection.CreateCommand();
        complete.Transaction = tx;
        complete.CommandText = """
            UPDATE outbox SET state = $state, outcome = $outcome, detail = $detail, status_code = $status,
                conversation_id = COALESCE($conversation, conversation_id), activity_id = COALESCE($activity, activity_id),
                attempts = attempts + 1, lease_owner = NULL, updated_at = $now
            WHERE job_key = $key
            """;
        await using var reschedule = connection.CreateCommand();
        reschedule.Transaction = tx;
        reschedule.CommandText = """
            UPDATE outbox SET state = 'Queued', due_at = $due, outcome = $outcome, detail = $detail, status_code = $status,
                conversation_id = COALESCE($conversation, conversation_id), activity_id = COALESCE($activity, activity_id),
                attempts = attempts + $count, install_requested = MAX(install_requested, $install), lease_owner = NULL, updated_at = $now
            WHERE job_key = $key
            """;
        foreach (var update in updates)
        {
            var command = update.RetryAt is null ? complete : reschedule;
            command.Parameters.Clear();
            AddResult(command, update.Result);
            command.Parameters.AddWithValue("$key", update.Key);
            if (update.RetryAt is { } due)
            {
                command.Parameters.AddWithValue("$due", Ms(due));
                command.Parameters.AddWithValue("$count", update.CountAttempt ? 1 : 0);
                command.Parameters.AddWithValue("$install", update.InstallRequested ? 1 : 0);
            }
            else
            {
                command.Parameters.AddWithValue("$state", StateOf(update.Result.Outcome).ToString());
            }
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, StoredConversation>> FindPersonalConversationsAsync(IReadOnlyCollection<string> userAadObjectIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, StoredConversation>(StringComparer.OrdinalIgnoreCase);
        if (userAadObjectIds.Count == 0)
        {
            return found;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        // Entra object ids are GUIDs whose case differs between sources; the index is case-sensitive, so ask for the
        // id as given and in both cases.
        var variants = userAadObjectIds.SelectMany(id => new[] { id, id.ToLowerInvariant(), id.ToUpperInvariant() }).Distinct(StringComparer.Ordinal);
        foreach (var chunk in variants.Chunk(500))
        {
            await using var command = connection.CreateCommand();
            var names = new List<string>(chunk.Length);
            for (var i = 0; i < chunk.Length; i++)
            {
                names.Add("$u" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                command.Parameters.AddWithValue(names[^1], chunk[i]);
            }
            // Same choice as ConversationStore.FindPersonalAsync: installed first, then the newest.
            command.CommandText = $"""
                SELECT conversation_id, channel_id, service_url, conversation_type, tenant_id, bot_id, user_id, user_aad_object_id,
                    team_id, team_aad_group_id, team_channel_id, locale, installed, welcomed_at
                FROM conversations WHERE conversation_type = 'personal' AND user_aad_object_id IN ({string.Join(", ", names)})
                ORDER BY installed ASC, updated_at ASC
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                string? S(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                var reference = new ConversationReference(S(1)!, S(2)!, S(0)!, S(3), S(4), S(5), S(6), S(7), S(8), S(9), S(10), S(11));
                // Later rows win: installed and newest last.
                found[reference.UserAadObjectId!] = new StoredConversation(reference, reader.GetInt64(12) == 1,
                    S(13) is { } welcomed ? DateTimeOffset.Parse(welcomed, System.Globalization.CultureInfo.InvariantCulture) : null);
            }
        }
        return found;
    }

    public async Task ReleaseAsync(IReadOnlyCollection<string> jobKeys, DateTimeOffset dueUtc, CancellationToken cancellationToken)
    {
        if (jobKeys.Count == 0)
        {
            return;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "UPDATE outbox SET due_at = $due, lease_owner = NULL, updated_at = $now WHERE job_key = $key AND state = 'Queued'";
        command.Parameters.AddWithValue("$due", Ms(dueUtc));
        command.Parameters.AddWithValue("$now", Now());
        var key = command.Parameters.Add("$key", SqliteType.Text);
        foreach (var jobKey in jobKeys)
        {
            key.Value = jobKey;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<string> GetOrAddSettingAsync(string key, string value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO delivery_settings (key, value) VALUES ($k, $v) ON CONFLICT (key) DO NOTHING; SELECT value FROM delivery_settings WHERE key = $k";
        command.Parameters.AddWithValue("$k", key);
        command.Parameters.AddWithValue("$v", value);
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Jobs of paused or cancelled waves (lead commands) are not due until the wave is resumed.
        command.CommandText = $"SELECT MIN(due_at) FROM outbox WHERE state = 'Queued' AND wave_id NOT IN ({TeamsRolloutBot.Commands.WaveStates.HeldWaveIdsSql})";
        return await command.ExecuteScalarAsync(cancellationToken) is long ms ? FromMs(ms) : null;
    }

    public async Task<IReadOnlyList<WaveProgress>> GetProgressAsync(DateTimeOffset sinceUtc, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT o.wave_id, o.message_id, COUNT(*),
                SUM(o.state = 'Delivered'), SUM(o.state = 'Failed'), SUM(o.state = 'Skipped'), SUM(o.state = 'Queued'),
                MAX(CASE WHEN o.state <> 'Queued' THEN o.updated_at END)
            FROM outbox o
            JOIN (SELECT DISTINCT wave_id, message_id FROM outbox WHERE state = 'Queued' OR updated_at >= $since) a
                ON a.wave_id = o.wave_id AND a.message_id = o.message_id
            GROUP BY o.wave_id, o.message_id
            ORDER BY o.wave_id, o.message_id
            """;
        command.Parameters.AddWithValue("$since", Ms(sinceUtc));
        var list = new List<WaveProgress>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new WaveProgress(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4),
                reader.GetInt32(5), reader.GetInt32(6), reader.IsDBNull(7) ? null : FromMs(reader.GetInt64(7))));
        }
        return list;
    }

    public async Task<IReadOnlyList<DeliveryLogEntry>> GetDeliveryLogAsync(string target, CancellationToken cancellationToken) =>
        await QueryLogAsync("SELECT * FROM outbox WHERE target = $p ORDER BY id DESC", target, cancellationToken);

    public async Task<(bool HasJobs, IReadOnlyList<string> Delivered)> GetDeliveredPeopleAsync(string waveId, string messageId, string departmentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT target, state FROM outbox
            WHERE wave_id = $w AND message_id = $m AND department_id = $d AND kind = 'Personal'
            """;
        command.Parameters.AddWithValue("$w", waveId);
        command.Parameters.AddWithValue("$m", messageId);
        command.Parameters.AddWithValue("$d", departmentId);
        var delivered = new List<string>();
        var any = false;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            any = true;
            if (reader.GetString(1) == nameof(JobState.Delivered))
            {
                delivered.Add(reader.GetString(0));
            }
        }
        return (any, delivered);
    }

    public async Task<DeliveryLogEntry?> FindJobAsync(string jobKey, CancellationToken cancellationToken) =>
        await QueryLogAsync("SELECT * FROM outbox WHERE job_key = $p", jobKey, cancellationToken) is [var found, ..] ? found : null;

    public async Task<ProgressCard?> FindProgressCardAsync(string waveId, string messageId, string leadId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT conversation_id, service_url, activity_id, final FROM progress_cards WHERE wave_id = $w AND message_id = $m AND lead_id = $l";
        command.Parameters.AddWithValue("$w", waveId);
        command.Parameters.AddWithValue("$m", messageId);
        command.Parameters.AddWithValue("$l", leadId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ProgressCard(waveId, messageId, leadId, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3) == 1)
            : null;
    }

    public async Task SaveProgressCardAsync(ProgressCard card, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO progress_cards (wave_id, message_id, lead_id, conversation_id, service_url, activity_id, final, updated_at)
            VALUES ($w, $m, $l, $c, $s, $a, $f, $now)
            ON CONFLICT (wave_id, message_id, lead_id) DO UPDATE SET conversation_id = excluded.conversation_id,
                service_url = excluded.service_url, activity_id = excluded.activity_id, final = excluded.final, updated_at = excluded.updated_at
            """;
        command.Parameters.AddWithValue("$w", card.WaveId);
        command.Parameters.AddWithValue("$m", card.MessageId);
        command.Parameters.AddWithValue("$l", card.LeadId);
        command.Parameters.AddWithValue("$c", card.ConversationId);
        command.Parameters.AddWithValue("$s", card.ServiceUrl);
        command.Parameters.AddWithValue("$a", card.ActivityId);
        command.Parameters.AddWithValue("$f", card.Final ? 1 : 0);
        command.Parameters.AddWithValue("$now", Now());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<StoredConversation?> FindPersonalConversationAsync(string userAadObjectId, CancellationToken cancellationToken) =>
        conversations.FindPersonalAsync(userAadObjectId, cancellationToken);

    public Task<StoredConversation?> FindConversationAsync(string conversationId, CancellationToken cancellationToken) =>
        conversations.FindAsync(conversationId, cancellationToken);

    public async Task<string?> LatestServiceUrlAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT service_url FROM conversations ORDER BY updated_at DESC LIMIT 1";
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public Task SaveConversationAsync(ConversationReference reference, CancellationToken cancellationToken) =>
        conversations.UpsertAsync(reference, cancellationToken);

    public Task MarkConversationGoneAsync(string conversationId, CancellationToken cancellationToken) =>
        conversations.MarkUninstalledAsync(conversationId, cancellationToken);

    private async Task<IReadOnlyList<PlannedSendRecord>> QuerySendsAsync(string sql, object parameter, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$p", parameter);
        var list = new List<PlannedSendRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var send = new PlannedSend(
                Str(reader, "send_key")!, Str(reader, "wave_id")!, Str(reader, "message_id")!, Str(reader, "department_id")!,
                Enum.Parse<SendAudience>(Str(reader, "audience")!), FromMs(reader.GetInt64(reader.GetOrdinal("due_at"))),
                Str(reader, "template")!, Str(reader, "phase")!, Str(reader, "subject"));
            var reported = reader.GetOrdinal("reported_at");
            list.Add(new PlannedSendRecord(send, Enum.Parse<PlannedSendState>(Str(reader, "state")!), reader.GetInt32(reader.GetOrdinal("job_count")),
                Str(reader, "detail"), reader.IsDBNull(reported) ? null : FromMs(reader.GetInt64(reported))));
        }
        return list;
    }

    private async Task<IReadOnlyList<DeliveryLogEntry>> QueryLogAsync(string sql, string parameter, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$p", parameter);
        var list = new List<DeliveryLogEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var outcome = Str(reader, "outcome");
            list.Add(new DeliveryLogEntry(
                Str(reader, "job_key")!, Str(reader, "wave_id")!, Str(reader, "message_id")!, Str(reader, "department_id")!,
                Enum.Parse<DeliveryKind>(Str(reader, "kind")!), Str(reader, "target")!, Enum.Parse<JobState>(Str(reader, "state")!),
                outcome is null ? null : Enum.Parse<DeliveryOutcome>(outcome),
                Str(reader, "detail"),
                reader.GetInt32(reader.GetOrdinal("attempts")), Str(reader, "conversation_id"), Str(reader, "activity_id"),
                FromMs(reader.GetInt64(reader.GetOrdinal("updated_at")))));
        }
        return list;
    }

    private static JobState StateOf(DeliveryOutcome outcome) => outcome switch
    {
        DeliveryOutcome.Delivered => JobState.Delivered,
        DeliveryOutcome.Skipped => JobState.Skipped,
        _ => JobState.Failed,
    };

    private static OutboxJob ReadJob(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Enum.Parse<DeliveryKind>(r.GetString(5)),
        r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), FromMs(r.GetInt64(8)));

    private void AddResult(SqliteCommand command, DeliveryResult result)
    {
        command.Parameters.AddWithValue("$outcome", result.Outcome.ToString());
        command.Parameters.AddWithValue("$detail", (object?)Truncate(result.Detail) ?? DBNull.Value);
        command.Parameters.AddWithValue("$status", (object?)result.StatusCode ?? DBNull.Value);
        command.Parameters.AddWithValue("$conversation", (object?)result.ConversationId ?? DBNull.Value);
        command.Parameters.AddWithValue("$activity", (object?)result.ActivityId ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", Now());
    }

    private static async Task<long> CountAsync(SqliteConnection connection, SqliteTransaction tx, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static string? Str(SqliteDataReader r, string column)
    {
        var i = r.GetOrdinal(column);
        return r.IsDBNull(i) ? null : r.GetString(i);
    }

    private static string? Truncate(string? text) => text is { Length: > 1000 } ? text[..1000] : text;

    private long Now() => Ms(time.GetUtcNow());

    private static long Ms(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
