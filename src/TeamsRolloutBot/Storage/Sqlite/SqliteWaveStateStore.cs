using System.Globalization;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Storage.Sqlite;

/// <summary>Wave states in the SQLite file (tables <c>wave_control</c> and <c>command_sends</c>).</summary>
public sealed class SqliteWaveStateStore(SqliteDatabase database) : IWaveStateStore
{
    public async Task<IReadOnlyDictionary<string, (WaveState State, DateOnly? Start)>> ReadAllAsync(CancellationToken cancellationToken) =>
        (await database.QueryAsync("SELECT wave_id, state, start_date FROM wave_control",
            r => (Id: r.GetString(0), State: Enum.Parse<WaveState>(r.GetString(1), ignoreCase: true), Start: r.IsDBNull(2) ? (DateOnly?)null : ParseDate(r.GetString(2))),
            cancellationToken))
        .ToDictionary(w => w.Id, w => (w.State, w.Start), StringComparer.Ordinal);

    public async Task<StoredWaveState?> FindAsync(string waveId, CancellationToken cancellationToken) =>
        (await database.QueryAsync("SELECT state, start_date, updated_at, updated_by, version FROM wave_control WHERE wave_id = $id",
            r => new StoredWaveState(waveId, Enum.Parse<WaveState>(r.GetString(0), ignoreCase: true), r.IsDBNull(1) ? null : ParseDate(r.GetString(1)),
                DateTimeOffset.Parse(r.GetString(2), CultureInfo.InvariantCulture), r.GetStringOrNull(3),
                r.GetInt64(4).ToString(CultureInfo.InvariantCulture)),
            cancellationToken, ("$id", waveId))).SingleOrDefault();

    public async Task<bool> TrySaveAsync(StoredWaveState state, string? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var sql = expectedVersion is null
            ? """
              INSERT INTO wave_control (wave_id, state, start_date, updated_at, updated_by, version) VALUES ($id, $state, $start, $now, $by, 1)
              ON CONFLICT (wave_id) DO NOTHING
              """
            : """
              UPDATE wave_control SET state = $state, start_date = $start, updated_at = $now, updated_by = $by, version = version + 1
              WHERE wave_id = $id AND version = $version
              """;
        return await database.ExecuteAsync(sql, cancellationToken,
            ("$id", state.WaveId), ("$state", state.State.ToString().ToLowerInvariant()),
            ("$start", state.Start is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null),
            ("$now", state.UpdatedAt.ToString("O", CultureInfo.InvariantCulture)), ("$by", state.UpdatedBy),
            ("$version", long.TryParse(expectedVersion, CultureInfo.InvariantCulture, out var v) ? v : -1)) == 1;
    }

    public async Task<bool> AddSendNowAsync(string requestId, string waveId, string messageId, IReadOnlyList<string> departmentIds, string actor, DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.ExecuteAsync("""
            INSERT INTO command_sends (request_id, wave_id, message_id, department_ids, requested_by, created_at)
            VALUES ($id, $wave, $message, $departments, $by, $at) ON CONFLICT DO NOTHING
            """, cancellationToken,
            ("$id", requestId), ("$wave", waveId), ("$message", messageId), ("$departments", string.Join(",", departmentIds)), ("$by", actor),
            ("$at", now.ToString("O", CultureInfo.InvariantCulture))) == 1;

    public async Task<IReadOnlyList<WaveStates.SendNow>> ReadSendNowAsync(CancellationToken cancellationToken) =>
        await database.QueryAsync("SELECT request_id, wave_id, message_id, department_ids, created_at FROM command_sends ORDER BY created_at, request_id",
            r => new WaveStates.SendNow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries),
                DateTimeOffset.Parse(r.GetString(4), CultureInfo.InvariantCulture)), cancellationToken);

    private static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
