namespace TeamsRolloutBot.Storage;

/// <summary>
/// Per-wave mutual exclusion across instances: held while the scheduler expands a send of the wave and while a lead
/// command changes the wave's state, so a cancel or pause cannot interleave with an expansion.
/// </summary>
public interface IWaveLocks
{
    /// <summary>Waits until this instance holds the wave's lock; dispose the result to release it.</summary>
    Task<IAsyncDisposable> AcquireAsync(string waveId, CancellationToken cancellationToken);
}
