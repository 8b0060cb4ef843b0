using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>
/// Wave locks as blob leases on <c>waves/&lt;wave&gt;</c> in the locks container, renewed while held, so only one
/// instance at a time expands a wave's send or changes its state. A killed holder's lock frees itself when the lease expires.
/// </summary>
public sealed class BlobWaveLocks(BlobContainerClient locks, TimeSpan leaseDuration, TimeProvider time) : IWaveLocks
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _created = new(StringComparer.Ordinal);

    public async Task<IAsyncDisposable> AcquireAsync(string waveId, CancellationToken cancellationToken)
    {
        var name = "waves/" + AzureTables.Encode(waveId);
        if (!_created.ContainsKey(name))
        {
            await BlobLeases.EnsureBlobAsync(locks, name, cancellationToken);
            _created[name] = true;
        }
        var lease = locks.GetBlobClient(name).GetBlobLeaseClient();
        while (true)
        {
            try
            {
                await lease.AcquireAsync(leaseDuration, cancellationToken: cancellationToken);
                return new Held(lease, leaseDuration, time);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
            }
        }
    }

    private sealed class Held : IAsyncDisposable
    {
        private readonly BlobLeaseClient _lease;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewal;

        public Held(BlobLeaseClient lease, TimeSpan duration, TimeProvider time)
        {
            _lease = lease;
            _renewal = RenewAsync(duration / 3, time);
        }

        private async Task RenewAsync(TimeSpan every, TimeProvider time)
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(every, time, _stop.Token);
                    await _lease.RenewAsync(cancellationToken: _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (RequestFailedException)
                {
                    // Retried at the next tick; the lease lasts three ticks.
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _renewal;
            _stop.Dispose();
            try
            {
                await _lease.ReleaseAsync();
            }
            catch (RequestFailedException)
            {
                // Lost or expired already: nothing to release.
            }
        }
    }
}
