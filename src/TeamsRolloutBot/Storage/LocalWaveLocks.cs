using System.Collections.Concurrent;

namespace TeamsRolloutBot.Storage;

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
