using System.Globalization;
using Microsoft.Data.Sqlite;
using TeamsRolloutBot.Commands;

namespace TeamsRolloutBot.Storage.Sqlite;

/// <summary>Wave approvals in the SQLite file (table <c>wave_approvals</c>, migration 104).</summary>
public sealed class SqliteApprovalStore(SqliteDatabase database) : IApprovalStore
{
    private const string Columns = "wave_id, fingerprint, state, cards_sent_at, cards, decided_by, decided_by_name, decided_at, reminded_at, reminders, version";

    public async Task<WaveApproval?> FindAsync(string waveId, CancellationToken cancellationToken) =>
        (await database.QueryAsync($"SELECT {Columns} FROM wave_approvals WHERE wave_id = $id", Read, cancellationToken, ("$id", waveId))).SingleOrDefault();

    public async Task<IReadOnlyList<WaveApproval>> ReadAllAsync(CancellationToken cancellationToken) =>
        await database.QueryAsync($"SELECT {Columns} FROM wave_approvals ORDER BY wave_id", Read, cancellationToken);

    public async Task<bool> TrySaveAsync(WaveApproval approval, string? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var sql = expectedVersion is null
            ? """
              INSERT INTO wave_approvals (wave_id, fingerprint, state, cards_sent_at, cards, decided_by, decided_by_name, decided_at, reminded_at, reminders, version)
              VALUES ($id, $fingerprint, $state, $cardsAt, $cards, $by, $byName, $decidedAt, $remindedAt, $reminders, 1)
              ON CONFLICT (wave_id) DO NOTHING
              """
            : """
              UPDATE wave_approvals SET fingerprint = $fingerprint, state = $state, cards_sent_at = $cardsAt, cards = $cards, decided_by = $by,
                  decided_by_name = $byName, decided_at = $decidedAt, reminded_at = $remindedAt, reminders = $reminders, version = version + 1
              WHERE wave_id = $id AND version = $version
              """;
        return await database.ExecuteAsync(sql, cancellationToken,
            ("$id", approval.WaveId), ("$fingerprint", approval.Fingerprint), ("$state", approval.State),
            ("$cardsAt", Text(approval.CardsSentAt)), ("$cards", approval.Cards), ("$by", approval.DecidedBy), ("$byName", approval.DecidedByName),
            ("$decidedAt", Text(approval.DecidedAt)), ("$remindedAt", Text(approval.RemindedAt)), ("$reminders", approval.Reminders),
            ("$version", long.TryParse(expectedVersion, CultureInfo.InvariantCulture, out var v) ? v : -1)) == 1;
    }

    private static WaveApproval Read(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), Time(r, 3), r.GetStringOrNull(4), r.GetStringOrNull(5), r.GetStringOrNull(6),
        Time(r, 7), Time(r, 8), r.GetInt32(9), r.GetInt64(10).ToString(CultureInfo.InvariantCulture));

    private static DateTimeOffset? Time(SqliteDataReader r, int ordinal) =>
        r.IsDBNull(ordinal) ? null : DateTimeOffset.Parse(r.GetString(ordinal), CultureInfo.InvariantCulture);

    private static string? Text(DateTimeOffset? value) => value?.ToString("O", CultureInfo.InvariantCulture);
}
