using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Commands;

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
