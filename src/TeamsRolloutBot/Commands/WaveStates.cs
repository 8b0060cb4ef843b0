using System.Globalization;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Commands;

/// <summary>A wave state a lead set, with the version the store needs for a conditional write.</summary>
/// <param name="Version">Opaque store version (SQLite counter, Table Storage ETag); null for a wave never stored.</param>
public sealed record StoredWaveState(string WaveId, WaveState State, DateOnly? Start, DateTimeOffset UpdatedAt, string? UpdatedBy, string? Version = null);

/// <summary>
/// The wave states leads set (pause, cancel, move) and their <c>send … now</c> requests, which the delivery engine
/// follows. Shared by every instance of the bot: a state change is a conditional write on the version read before.
/// </summary>
public interface IWaveStateStore
{
    /// <summary>Every wave with a state set by a lead: its state and, when moved, its start date.</summary>
    Task<IReadOnlyDictionary<string, (WaveState State, DateOnly? Start)>> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>One wave's stored state, or null when no lead changed it.</summary>
    Task<StoredWaveState?> FindAsync(string waveId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="state"/> if the wave is still at <paramref name="expectedVersion"/> (null: not stored yet).
    /// False when another writer changed it first: read again and decide again.
    /// </summary>
    Task<bool> TrySaveAsync(StoredWaveState state, string? expectedVersion, CancellationToken cancellationToken);

    /// <summary>Records a send-now request once per request id (a second call with the same id adds nothing); true when new.</summary>
    Task<bool> AddSendNowAsync(string requestId, string waveId, string messageId, IReadOnlyList<string> departmentIds, string actor, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Every send-now request, oldest first.</summary>
    Task<IReadOnlyList<WaveStates.SendNow>> ReadSendNowAsync(CancellationToken cancellationToken);
}

/// <summary>What the delivery engine derives from the wave states: which waves are held, which start on another date.</summary>
public static class WaveStates
{
    /// <summary>SQL selecting the ids of held waves, for queries over the delivery tables in the same SQLite database.</summary>
    public const string HeldWaveIdsSql = "SELECT wave_id FROM wave_control WHERE state IN ('paused', 'cancelled')";

    /// <summary>A message a lead sent now, outside the schedule (<c>send ... now</c>), for the delivery engine to expand.</summary>
    public sealed record SendNow(string RequestId, string WaveId, string MessageId, IReadOnlyList<string> DepartmentIds, DateTimeOffset CreatedAt);

    /// <summary>The delivery key of one route of a send-now request: unique per request, so it never collides with the schedule.</summary>
    public static string SendNowKey(SendNow send, string departmentId, SendAudience route) =>
        $"{send.WaveId}/{send.MessageId}/{departmentId}/{route.ToString().ToLowerInvariant()}/now-{send.RequestId}";

    /// <summary>True for states in which nothing of the wave is sent.</summary>
    public static bool IsHeld(WaveState state) => state is WaveState.Paused or WaveState.Cancelled;

    /// <summary>The ids of the held waves in <paramref name="states"/>.</summary>
    public static IReadOnlySet<string> Held(IReadOnlyDictionary<string, (WaveState State, DateOnly? Start)> states) =>
        states.Where(s => IsHeld(s.Value.State)).Select(s => s.Key).ToHashSet(StringComparer.Ordinal);

    /// <summary>The plan with the start dates the leads set.</summary>
    public static RolloutPlan WithStarts(RolloutPlan plan, IReadOnlyDictionary<string, (WaveState State, DateOnly? Start)> states) =>
        plan with
        {
            Waves = [.. plan.Waves.Select(w => states.TryGetValue(w.Id, out var s) && s.Start is { } start && start != w.Start ? w with { Start = start } : w)],
        };
}

/// <summary>Wave states in the SQLite file (tables <c>wave_control</c> and <c>command_sends</c>).</summary>
public sealed class SqliteWaveStateStore(SqliteDatabase database) : IWaveStateStore
{
    public async Task<IReadOnlyDictionary<string, (WaveState State, DateOnly? Start)>> ReadAllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT wave_id, state, start_date FROM wave_control";
        await using var r = await select.ExecuteReaderAsync(cancellationToken);
        var states = new Dictionary<string, (WaveState, DateOnly?)>(StringComparer.Ordinal);
        while (await r.ReadAsync(cancellationToken))
        {
            states[r.GetString(0)] = (Enum.Parse<WaveState>(r.GetString(1), ignoreCase: true), r.IsDBNull(2) ? null : ParseDate(r.GetString(2)));
        }
        return states;
    }

    public async Task<StoredWaveState?> FindAsync(string waveId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT state, start_date, updated_at, updated_by, version FROM wave_control WHERE wave_id = $id";
        select.Parameters.AddWithValue("$id", waveId);
        await using var r = await select.ExecuteReaderAsync(cancellationToken);
        if (!await r.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new StoredWaveState(waveId, Enum.Parse<WaveState>(r.GetString(0), ignoreCase: true), r.IsDBNull(1) ? null : ParseDate(r.GetString(1)),
            DateTimeOffset.Parse(r.GetString(2), CultureInfo.InvariantCulture), r.IsDBNull(3) ? null : r.GetString(3),
            r.GetInt64(4).ToString(CultureInfo.InvariantCulture));
    }

    public async Task<bool> TrySaveAsync(StoredWaveState state, string? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var write = connection.CreateCommand();
        write.CommandText = expectedVersion is null
            ? """
              INSERT INTO wave_control (wave_id, state, start_date, updated_at, updated_by, version) VALUES ($id, $state, $start, $now, $by, 1)
              ON CONFLICT (wave_id) DO NOTHING
              """
            : """
              UPDATE wave_control SET state = $state, start_date = $start, updated_at = $now, updated_by = $by, version = version + 1
              WHERE wave_id = $id AND version = $version
              """;
        write.Parameters.AddWithValue("$id", state.WaveId);
        write.Parameters.AddWithValue("$state", state.State.ToString().ToLowerInvariant());
        write.Parameters.AddWithValue("$start", state.Start is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : DBNull.Value);
        write.Parameters.AddWithValue("$now", state.UpdatedAt.ToString("O", CultureInfo.InvariantCulture));
        write.Parameters.AddWithValue("$by", (object?)state.UpdatedBy ?? DBNull.Value);
        write.Parameters.AddWithValue("$version", long.TryParse(expectedVersion, CultureInfo.InvariantCulture, out var v) ? v : -1);
        return await write.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> AddSendNowAsync(string requestId, string waveId, string messageId, IReadOnlyList<string> departmentIds, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO command_sends (request_id, wave_id, message_id, department_ids, requested_by, created_at)
            VALUES ($id, $wave, $message, $departments, $by, $at) ON CONFLICT DO NOTHING
            """;
        insert.Parameters.AddWithValue("$id", requestId);
        insert.Parameters.AddWithValue("$wave", waveId);
        insert.Parameters.AddWithValue("$message", messageId);
        insert.Parameters.AddWithValue("$departments", string.Join(",", departmentIds));
        insert.Parameters.AddWithValue("$by", actor);
        insert.Parameters.AddWithValue("$at", now.ToString("O", CultureInfo.InvariantCulture));
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<WaveStates.SendNow>> ReadSendNowAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT request_id, wave_id, message_id, department_ids, created_at FROM command_sends ORDER BY created_at, request_id";
        await using var r = await select.ExecuteReaderAsync(cancellationToken);
        var list = new List<WaveStates.SendNow>();
        while (await r.ReadAsync(cancellationToken))
        {
            list.Add(new WaveStates.SendNow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries),
                DateTimeOffset.Parse(r.GetString(4), CultureInfo.InvariantCulture)));
        }
        return list;
    }

    private static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
