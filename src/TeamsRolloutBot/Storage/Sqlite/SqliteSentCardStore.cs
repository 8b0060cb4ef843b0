using System.Globalization;
using Microsoft.Data.Sqlite;
using TeamsRolloutBot.Delivery;

namespace TeamsRolloutBot.Storage.Sqlite;

/// <summary>Sent cards and correction notices in the SQLite file (tables <c>sent_cards</c> and <c>correction_notices</c>).</summary>
public sealed class SqliteSentCardStore(SqliteDatabase database) : ISentCardStore
{
    public Task RecordSentAsync(SentCard card, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        return database.ExecuteAsync("""
            INSERT INTO sent_cards (job_key, send_key, wave_id, message_id, department_id, kind, target, language, service_url,
                conversation_id, activity_id, fingerprint, sent_at, state, detail, corrected_at)
            VALUES ($job, $send, $wave, $message, $department, $kind, $target, $language, $url, $conversation, $activity, $fingerprint, $at, $state, NULL, NULL)
            ON CONFLICT (job_key) DO UPDATE SET service_url = excluded.service_url, conversation_id = excluded.conversation_id,
                activity_id = excluded.activity_id, fingerprint = excluded.fingerprint, sent_at = excluded.sent_at, language = excluded.language,
                state = excluded.state, detail = NULL, corrected_at = NULL
            """, cancellationToken,
            ("$job", card.JobKey), ("$send", card.SendKey), ("$wave", card.WaveId), ("$message", card.MessageId), ("$department", card.DepartmentId),
            ("$kind", card.Kind.ToString()), ("$target", card.Target), ("$language", card.Language), ("$url", card.ServiceUrl),
            ("$conversation", card.ConversationId), ("$activity", card.ActivityId), ("$fingerprint", card.Fingerprint),
            ("$at", card.SentUtc.ToString("O", CultureInfo.InvariantCulture)), ("$state", card.State.ToString()));
    }

    public async Task<IReadOnlyList<SentCard>> GetSentAsync(string? messageId, CancellationToken cancellationToken) =>
        await database.QueryAsync(
            "SELECT * FROM sent_cards WHERE $message IS NULL OR message_id = $message COLLATE NOCASE ORDER BY sent_at, job_key",
            Read, cancellationToken, ("$message", messageId));

    public Task RecordCorrectionAsync(SentCard card, CorrectionOutcome outcome, string? fingerprint, string? detail, DateTimeOffset atUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        return database.ExecuteAsync("""
            UPDATE sent_cards SET state = $state, detail = $detail, corrected_at = $at, fingerprint = COALESCE($fingerprint, fingerprint)
            WHERE job_key = $job
            """, cancellationToken,
            ("$job", card.JobKey), ("$state", outcome.ToString()), ("$detail", detail), ("$fingerprint", fingerprint),
            ("$at", atUtc.ToString("O", CultureInfo.InvariantCulture)));
    }

    public async Task<bool> TryAddNoticeAsync(string key, string messageId, DateTimeOffset atUtc, CancellationToken cancellationToken) =>
        await database.ExecuteAsync("""
            INSERT INTO correction_notices (notice_key, message_id, created_at) VALUES ($key, $message, $at) ON CONFLICT DO NOTHING
            """, cancellationToken, ("$key", key), ("$message", messageId), ("$at", atUtc.ToString("O", CultureInfo.InvariantCulture))) == 1;

    public async Task<CorrectionNotice?> FindNoticeAsync(string key, CancellationToken cancellationToken) =>
        (await database.QueryAsync("SELECT notice_key, message_id, created_at, decision, decided_by, decided_at FROM correction_notices WHERE notice_key = $key",
            r => new CorrectionNotice(r.GetString(0), r.GetString(1), Parse(r.GetString(2)), r.GetStringOrNull(3), r.GetStringOrNull(4),
                r.GetStringOrNull(5) is { } at ? Parse(at) : null),
            cancellationToken, ("$key", key))).SingleOrDefault();

    public async Task<bool> DecideNoticeAsync(string key, string decision, string decidedBy, DateTimeOffset atUtc, CancellationToken cancellationToken) =>
        await database.ExecuteAsync("""
            UPDATE correction_notices SET decision = $decision, decided_by = $by, decided_at = $at WHERE notice_key = $key AND decision IS NULL
            """, cancellationToken, ("$key", key), ("$decision", decision), ("$by", decidedBy), ("$at", atUtc.ToString("O", CultureInfo.InvariantCulture))) == 1;

    private static SentCard Read(SqliteDataReader r) => new(
        r.GetString(r.GetOrdinal("job_key")), r.GetString(r.GetOrdinal("send_key")), r.GetString(r.GetOrdinal("wave_id")),
        r.GetString(r.GetOrdinal("message_id")), r.GetString(r.GetOrdinal("department_id")),
        Enum.Parse<DeliveryKind>(r.GetString(r.GetOrdinal("kind"))), r.GetString(r.GetOrdinal("target")), r.GetStringOrNull("language"),
        r.GetString(r.GetOrdinal("service_url")), r.GetString(r.GetOrdinal("conversation_id")), r.GetString(r.GetOrdinal("activity_id")),
        r.GetString(r.GetOrdinal("fingerprint")), Parse(r.GetString(r.GetOrdinal("sent_at"))),
        Enum.Parse<CorrectionOutcome>(r.GetString(r.GetOrdinal("state"))), r.GetStringOrNull("detail"),
        r.GetStringOrNull("corrected_at") is { } at ? Parse(at) : null);

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
