using Microsoft.Data.Sqlite;
using TeamsRolloutBot.Feedback;

namespace TeamsRolloutBot.Storage.Sqlite;

/// <summary>
/// The survey tables in the SQLite file: one current answer per user per survey (edits kept as numbered history),
/// the durable SharePoint sync queue, the survey card messages whose refresh list must be updated, and the
/// once-only reminder and summary claims.
/// </summary>
public sealed class SqliteFeedbackStore(SqliteDatabase database, TimeProvider time) : IFeedbackStore
{
    /// <summary>
    /// Stores a valid submission at once. The same answers again (a redelivery or a second click) change nothing and add
    /// no history; other answers become the next version, and the SharePoint copy is queued.
    /// </summary>
    public async Task<SaveResult> SaveAsync(SurveyPlacement placement, SurveyRespondent respondent, SurveyAnswer answer, CancellationToken cancellationToken)
    {
        var now = Now();
        var json = answer.ToCanonicalJson();
        // BEGIN IMMEDIATE: concurrent submissions of one user serialize here instead of both reading the same version.
        return await database.InTransactionAsync(async session =>
        {
            var current = (await session.QueryAsync("SELECT version, answer_json FROM feedback_answers WHERE survey_id = $s AND user_aad_object_id = $u",
                reader => (Version: reader.GetInt32(0), Json: reader.GetString(1)), cancellationToken,
                ("$s", placement.SurveyId), ("$u", respondent.AadObjectId))).FirstOrDefault();
            if (current.Json == json)
            {
                return new SaveResult(false, current.Version);
            }
            var version = current.Version + 1;
            await session.ExecuteAsync("""
                INSERT INTO feedback_answers (survey_id, user_aad_object_id, user_id, user_name, locale, wave_id, department_id, message_id,
                    answer_json, version, first_submitted_at, updated_at)
                VALUES ($s, $u, $uid, $name, $locale, $wave, $dept, $msg, $json, $v, $now, $now)
                ON CONFLICT (survey_id, user_aad_object_id) DO UPDATE SET
                    user_id = COALESCE(excluded.user_id, user_id), user_name = COALESCE(excluded.user_name, user_name),
                    locale = COALESCE(excluded.locale, locale), wave_id = COALESCE(excluded.wave_id, wave_id),
                    department_id = COALESCE(excluded.department_id, department_id), message_id = COALESCE(excluded.message_id, message_id),
                    answer_json = excluded.answer_json, version = excluded.version, updated_at = excluded.updated_at
                """, cancellationToken,
                ("$s", placement.SurveyId), ("$u", respondent.AadObjectId), ("$uid", respondent.UserId), ("$name", respondent.Name),
                ("$locale", respondent.Locale), ("$wave", placement.WaveId), ("$dept", placement.DepartmentId), ("$msg", placement.MessageId),
                ("$json", json), ("$v", version), ("$now", now));
            await session.ExecuteAsync("""
                INSERT INTO feedback_answer_history (survey_id, user_aad_object_id, version, answer_json, submitted_at) VALUES ($s, $u, $v, $json, $now)
                """, cancellationToken, ("$s", placement.SurveyId), ("$u", respondent.AadObjectId), ("$v", version), ("$json", json), ("$now", now));
            // The correlation id is fixed with the first version, before any POST, so a lost response can be found again.
            // A new version does not jump the queue past a Retry-After that is still running.
            await session.ExecuteAsync("""
                INSERT INTO feedback_sync (survey_id, user_aad_object_id, correlation_id, next_attempt_at, updated_at) VALUES ($s, $u, $c, $now, $now)
                ON CONFLICT (survey_id, user_aad_object_id) DO UPDATE SET
                    next_attempt_at = MAX(next_attempt_at, excluded.next_attempt_at), updated_at = excluded.updated_at
                """, cancellationToken, ("$s", placement.SurveyId), ("$u", respondent.AadObjectId), ("$c", Guid.NewGuid().ToString("D")), ("$now", now));
            return new SaveResult(true, version);
        }, cancellationToken, System.Data.IsolationLevel.Serializable);
    }

    /// <summary>A user's current answer to a survey, or null.</summary>
    public async Task<StoredAnswer?> FindAsync(string surveyId, string userAadObjectId, CancellationToken cancellationToken)
    {
        var list = await QueryAnswersAsync("a.survey_id = $s AND a.user_aad_object_id = $u", cancellationToken,
            ("$s", surveyId), ("$u", userAadObjectId));
        return list.Count == 0 ? null : list[0];
    }

    /// <summary>Current answers, optionally of one wave and/or department, newest first.</summary>
    public Task<IReadOnlyList<StoredAnswer>> ListAsync(string? waveId, string? departmentId, CancellationToken cancellationToken) =>
        QueryAnswersAsync("($w IS NULL OR a.wave_id = $w) AND ($d IS NULL OR a.department_id = $d)", cancellationToken,
            ("$w", waveId), ("$d", departmentId));

    /// <summary>Every version of a user's answer, oldest first.</summary>
    public async Task<IReadOnlyList<AnswerVersion>> HistoryAsync(string surveyId, string userAadObjectId, CancellationToken cancellationToken) =>
        await database.QueryAsync("""
            SELECT version, answer_json, submitted_at FROM feedback_answer_history WHERE survey_id = $s AND user_aad_object_id = $u ORDER BY version
            """, reader => new AnswerVersion(reader.GetInt32(0), SurveyAnswer.FromCanonicalJson(reader.GetString(1)), SqliteTime.Parse(reader.GetString(2))),
            cancellationToken, ("$s", surveyId), ("$u", userAadObjectId));

    /// <summary>The <c>29:</c> ids of the most recent respondents of a survey in one department (for a channel card's refresh list).</summary>
    public async Task<IReadOnlyList<string>> RecentRespondentIdsAsync(string surveyId, string? departmentId, int limit, CancellationToken cancellationToken) =>
        await database.QueryAsync("""
            SELECT user_id FROM feedback_answers
            WHERE survey_id = $s AND user_id IS NOT NULL AND ($d IS NULL OR department_id = $d)
            ORDER BY updated_at DESC LIMIT $n
            """, reader => reader.GetString(0), cancellationToken, ("$s", surveyId), ("$d", departmentId), ("$n", limit));

    // ---- SharePoint sync queue ----

    /// <summary>Answers whose newest version is not in the list yet and whose next attempt is due.</summary>
    public async Task<IReadOnlyList<SyncWork>> DueSyncAsync(int limit, CancellationToken cancellationToken) =>
        await database.QueryAsync($"""
            {AnswerSelect} WHERE s.synced_version < a.version AND s.next_attempt_at <= $now ORDER BY s.next_attempt_at LIMIT $n
            """, reader => new SyncWork(ReadAnswer(reader), reader.GetString(reader.GetOrdinal("correlation_id")), reader.GetInt64(reader.GetOrdinal("post_started")) == 1),
            cancellationToken, ("$now", Now()), ("$n", limit));

    /// <summary>Recorded before the POST: after a crash the next attempt looks the item up by correlation id first.</summary>
    public Task MarkPostStartedAsync(string surveyId, string userAadObjectId, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE feedback_sync SET post_started = 1, updated_at = $now WHERE survey_id = $s AND user_aad_object_id = $u",
            cancellationToken, ("$s", surveyId), ("$u", userAadObjectId));

    /// <summary>Stores the list item id and the version now in the list; clears the failure count.</summary>
    public Task MarkSyncedAsync(string surveyId, string userAadObjectId, string itemId, int version, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            UPDATE feedback_sync SET item_id = $item, synced_version = MAX(synced_version, $v), attempts = 0, last_error = NULL, updated_at = $now
            WHERE survey_id = $s AND user_aad_object_id = $u
            """, cancellationToken, ("$s", surveyId), ("$u", userAadObjectId), ("$item", itemId), ("$v", version));

    /// <summary>Stores the item id found or created, without claiming a version (used before a PATCH).</summary>
    public Task SetItemIdAsync(string surveyId, string userAadObjectId, string? itemId, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            UPDATE feedback_sync SET item_id = $item, post_started = CASE WHEN $item IS NULL THEN 0 ELSE post_started END, updated_at = $now
            WHERE survey_id = $s AND user_aad_object_id = $u
            """, cancellationToken, ("$s", surveyId), ("$u", userAadObjectId), ("$item", itemId));

    /// <summary>Records a failed attempt and when to try again.</summary>
    public Task MarkSyncFailedAsync(string surveyId, string userAadObjectId, string failure, DateTimeOffset nextAttempt, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            UPDATE feedback_sync SET attempts = attempts + 1, last_error = $e, next_attempt_at = $next, updated_at = $now
            WHERE survey_id = $s AND user_aad_object_id = $u
            """, cancellationToken, ("$s", surveyId), ("$u", userAadObjectId), ("$e", failure.Length > 500 ? failure[..500] : failure), ("$next", SqliteTime.Format(nextAttempt)));

    /// <summary>Counts for the summary and the health of the SharePoint copy.</summary>
    public async Task<SyncCounts> SyncCountsAsync(CancellationToken cancellationToken) =>
        (await database.QueryAsync("""
            SELECT
                COALESCE(SUM(CASE WHEN s.synced_version >= a.version THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN s.synced_version < a.version AND s.attempts = 0 THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN s.synced_version < a.version AND s.attempts > 0 THEN 1 ELSE 0 END), 0)
            FROM feedback_answers a JOIN feedback_sync s ON s.survey_id = a.survey_id AND s.user_aad_object_id = a.user_aad_object_id
            """, reader => new SyncCounts(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2)), cancellationToken)).Single();

    // ---- survey card messages (per-user refresh lists) ----

    /// <summary>Remembers a survey card message and marks its refresh list for an update.</summary>
    public Task TouchCardMessageAsync(SurveyCardMessage message, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            INSERT INTO feedback_card_messages (conversation_id, activity_id, service_url, conversation_type, survey_id, wave_id, department_id,
                message_id, language, user_id, refresh_pending, attempts, next_attempt_at, updated_at)
            VALUES ($c, $a, $url, $type, $s, $w, $d, $m, $lang, $user, 1, 0, $now, $now)
            ON CONFLICT (conversation_id, activity_id) DO UPDATE SET
                service_url = excluded.service_url, refresh_pending = 1, generation = generation + 1, attempts = 0,
                next_attempt_at = MAX(next_attempt_at, excluded.next_attempt_at), updated_at = excluded.updated_at
            """, cancellationToken, ("$c", message.ConversationId), ("$a", message.ActivityId), ("$url", message.ServiceUrl),
            ("$type", message.ConversationType), ("$s", message.Placement.SurveyId), ("$w", message.Placement.WaveId),
            ("$d", message.Placement.DepartmentId), ("$m", message.Placement.MessageId), ("$lang", message.Language), ("$user", message.UserId));

    /// <summary>Card messages whose refresh list is out of date.</summary>
    public async Task<IReadOnlyList<SurveyCardMessage>> DueCardMessagesAsync(int limit, CancellationToken cancellationToken) =>
        await database.QueryAsync("""
            SELECT * FROM feedback_card_messages WHERE refresh_pending = 1 AND next_attempt_at <= $now ORDER BY next_attempt_at LIMIT $n
            """, reader =>
            {
                string? S(string c) => reader.GetStringOrNull(c);
                return new SurveyCardMessage(S("conversation_id")!, S("activity_id")!, S("service_url")!, S("conversation_type")!,
                    new SurveyPlacement(S("survey_id")!, S("wave_id"), S("department_id"), S("message_id")), S("language")!, S("user_id"))
                {
                    Generation = reader.GetInt64(reader.GetOrdinal("generation")),
                };
            }, cancellationToken, ("$now", Now()), ("$n", limit));

    /// <summary>
    /// Ends a refresh-list update: done (the next update of this message not before <paramref name="quietUntil"/>), or
    /// retry at <paramref name="retryAt"/> (null: give up, with the error kept). When a newer answer touched the message
    /// meanwhile, it stays pending for another update.
    /// </summary>
    public Task CompleteCardMessageAsync(SurveyCardMessage message, string? failure, DateTimeOffset? retryAt, DateTimeOffset quietUntil, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            UPDATE feedback_card_messages SET
                refresh_pending = CASE WHEN generation <> $gen THEN 1 WHEN $e IS NULL OR $next IS NULL THEN 0 ELSE 1 END,
                attempts = CASE WHEN $e IS NULL THEN 0 ELSE attempts + 1 END,
                next_attempt_at = CASE WHEN $e IS NULL THEN $quiet ELSE COALESCE($next, next_attempt_at) END,
                last_error = $e, updated_at = $now
            WHERE conversation_id = $c AND activity_id = $a
            """, cancellationToken, ("$c", message.ConversationId), ("$a", message.ActivityId), ("$gen", message.Generation), ("$e", failure),
            ("$next", retryAt is { } r ? SqliteTime.Format(r) : null), ("$quiet", SqliteTime.Format(quietUntil)));

    // ---- reminders and summaries ----

    /// <summary>Claims a notice (kind, scope, target) once: true only for the first caller ever.</summary>
    public async Task<bool> TryClaimNoticeAsync(string kind, string scope, string target, CancellationToken cancellationToken) =>
        await database.ExecuteAsync("""
            INSERT INTO feedback_notices (kind, scope, target, state, created_at, updated_at) VALUES ($k, $s, $t, 'sending', $now, $now)
            ON CONFLICT DO NOTHING
            """, cancellationToken, ("$k", kind), ("$s", scope), ("$t", target), ("$now", Now())) == 1;

    /// <summary>Records how a claimed notice ended (sent, no-conversation, failed: outcome).</summary>
    public Task CompleteNoticeAsync(string kind, string scope, string target, string state, string? detail, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE feedback_notices SET state = $state, detail = $detail, updated_at = $now WHERE kind = $k AND scope = $s AND target = $t",
            cancellationToken, ("$k", kind), ("$s", scope), ("$t", target), ("$state", state), ("$detail", detail));

    /// <summary>Gives a claim back (the send certainly did not happen), so a later pass may try again.</summary>
    public Task ReleaseNoticeAsync(string kind, string scope, string target, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM feedback_notices WHERE kind = $k AND scope = $s AND target = $t",
            cancellationToken, ("$k", kind), ("$s", scope), ("$t", target));

    /// <summary>The notices of one kind (all scopes when <paramref name="scope"/> is null).</summary>
    public async Task<IReadOnlyList<FeedbackNotice>> NoticesAsync(string kind, string? scope, CancellationToken cancellationToken) =>
        await database.QueryAsync("SELECT * FROM feedback_notices WHERE kind = $k AND ($s IS NULL OR scope = $s) ORDER BY created_at, target", reader =>
        {
            string? S(string c) => reader.GetStringOrNull(c);
            return new FeedbackNotice(S("kind")!, S("scope")!, S("target")!, S("state")!, S("detail"), SqliteTime.Parse(S("updated_at")!));
        }, cancellationToken, ("$k", kind), ("$s", scope));

    private const string AnswerSelect = """
        SELECT a.*, s.correlation_id, s.item_id, s.post_started, s.synced_version, s.attempts, s.last_error
        FROM feedback_answers a JOIN feedback_sync s ON s.survey_id = a.survey_id AND s.user_aad_object_id = a.user_aad_object_id
        """;

    private async Task<IReadOnlyList<StoredAnswer>> QueryAnswersAsync(string where, CancellationToken cancellationToken, params (string Name, object? Value)[] args) =>
        await database.QueryAsync($"{AnswerSelect} WHERE {where} ORDER BY a.updated_at DESC, a.user_aad_object_id", ReadAnswer, cancellationToken, args);

    private static StoredAnswer ReadAnswer(SqliteDataReader r)
    {
        string? S(string c) => r.GetStringOrNull(c);
        return new StoredAnswer(
            new SurveyPlacement(S("survey_id")!, S("wave_id"), S("department_id"), S("message_id")),
            new SurveyRespondent(S("user_aad_object_id")!, S("user_id"), S("user_name"), S("locale")),
            SurveyAnswer.FromCanonicalJson(S("answer_json")!),
            r.GetInt32(r.GetOrdinal("version")),
            SqliteTime.Parse(S("first_submitted_at")!),
            SqliteTime.Parse(S("updated_at")!),
            S("item_id"),
            r.GetInt32(r.GetOrdinal("synced_version")),
            r.GetInt32(r.GetOrdinal("attempts")),
            S("last_error"));
    }

    private Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] args) =>
        database.ExecuteAsync(sql, cancellationToken, [("$now", Now()), .. args]);

    private string Now() => SqliteTime.Format(time.GetUtcNow());
}
