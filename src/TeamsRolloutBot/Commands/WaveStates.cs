using TeamsRolloutBot.Plan;

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
