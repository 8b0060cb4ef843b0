using System.Globalization;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Commands;

/// <summary>
/// The wave states leads set (table <c>wave_control</c>), for the delivery engine: which waves are held (paused or
/// cancelled: nothing of them is expanded or sent) and which start on another date than planned.
/// </summary>
public sealed class WaveStates(SqliteDatabase database)
{
    /// <summary>SQL selecting the ids of held waves, for queries over the delivery tables in the same database.</summary>
    public const string HeldWaveIdsSql = "SELECT wave_id FROM wave_control WHERE state IN ('paused', 'cancelled')";

    /// <summary>Every wave with a state set by a lead: its state and, when moved, its start date.</summary>
    public async Task<IReadOnlyDictionary<string, (WaveState State, DateOnly? Start)>> ReadAllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT wave_id, state, start_date FROM wave_control";
        await using var r = await select.ExecuteReaderAsync(cancellationToken);
        var states = new Dictionary<string, (WaveState, DateOnly?)>(StringComparer.Ordinal);
        while (await r.ReadAsync(cancellationToken))
        {
            states[r.GetString(0)] = (Enum.Parse<WaveState>(r.GetString(1), ignoreCase: true),
                r.IsDBNull(2) ? null : DateOnly.ParseExact(r.GetString(2), "yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        return states;
    }

    /// <summary>A message a lead sent now, outside the schedule (<c>send ... now</c>), for the delivery engine to expand.</summary>
    public sealed record SendNow(string RequestId, string WaveId, string MessageId, IReadOnlyList<string> DepartmentIds, DateTimeOffset CreatedAt);

    /// <summary>Records a send-now request once per request id (a second call with the same id adds nothing); true when new.</summary>
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

    /// <summary>Every send-now request, oldest first.</summary>
    public async Task<IReadOnlyList<SendNow>> ReadSendNowAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT request_id, wave_id, message_id, department_ids, created_at FROM command_sends ORDER BY created_at, request_id";
        await using var r = await select.ExecuteReaderAsync(cancellationToken);
        var list = new List<SendNow>();
        while (await r.ReadAsync(cancellationToken))
        {
            list.Add(new SendNow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries),
                DateTimeOffset.Parse(r.GetString(4), CultureInfo.InvariantCulture)));
        }
        return list;
    }

    /// <summary>The delivery key of one route of a send-now request: unique per request, so it never collides with the schedule.</summary>
    public static string SendNowKey(SendNow send, string departmentId, SendAudience route) =>
        $"{send.WaveId}/{send.MessageId}/{departmentId}/{route.ToString().ToLowerInvariant()}/now-{send.RequestId}";

    /// <summary>True for states in which nothing of the wave is sent.</summary>
    public static bool IsHeld(WaveState state) => state is WaveState.Paused or WaveState.Cancelled;

    /// <summary>The plan with the start dates the leads set.</summary>
    public static RolloutPlan WithStarts(RolloutPlan plan, IReadOnlyDictionary<string, (WaveState State, DateOnly? Start)> states) =>
        plan with
        {
            Waves = [.. plan.Waves.Select(w => states.TryGetValue(w.Id, out var s) && s.Start is { } start && start != w.Start ? w with { Start = start } : w)],
        };
}
