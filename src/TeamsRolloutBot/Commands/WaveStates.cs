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

    /// <summary>True for states in which nothing of the wave is sent.</summary>
    public static bool IsHeld(WaveState state) => state is WaveState.Paused or WaveState.Cancelled;

    /// <summary>The plan with the start dates the leads set.</summary>
    public static RolloutPlan WithStarts(RolloutPlan plan, IReadOnlyDictionary<string, (WaveState State, DateOnly? Start)> states) =>
        plan with
        {
            Waves = [.. plan.Waves.Select(w => states.TryGetValue(w.Id, out var s) && s.Start is { } start && start != w.Start ? w with { Start = start } : w)],
        };
}
