using System.Collections.Concurrent;

namespace TeamsRolloutBot.Storage;

/// <summary>
/// Whether this instance runs the loops that must run once per deployment (the scheduler's expansions and missed-send
/// reports, progress cards, feedback reminders and summaries, the SharePoint copy, the thread-reply catch-up).
/// With SQLite there is one instance and it always leads; with AzureStorage a blob lease elects one.
/// </summary>
public interface ILeadership
{
    /// <summary>True while this instance holds the leadership.</summary>
    bool IsLeader { get; }

    /// <summary>Completes when this instance is the leader (at once when it already is).</summary>
    Task WaitForLeadershipAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Per-wave mutual exclusion across instances: held while the scheduler expands a send of the wave and while a lead
/// command changes the wave's state, so a cancel or pause cannot interleave with an expansion.
/// </summary>
public interface IWaveLocks
{
    /// <summary>Waits until this instance holds the wave's lock; dispose the result to release it.</summary>
    Task<IAsyncDisposable> AcquireAsync(string waveId, CancellationToken cancellationToken);
}

/// <summary>The single instance of a SQLite deployment: always the leader.</summary>
public sealed class SingleInstanceLeadership : ILeadership
{
    public bool IsLeader => true;

    public Task WaitForLeadershipAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Wave locks inside one process (SQLite: one instance), one semaphore per wave.</summary>
public sealed class LocalWaveLocks : IWaveLocks
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public async Task<IAsyncDisposable> AcquireAsync(string waveId, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(waveId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Releaser(gate);
    }

    private sealed class Releaser(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
            return ValueTask.CompletedTask;
        }
    }
}
