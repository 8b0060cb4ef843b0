using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>
/// The deployment's leader, elected with a lease on the blob <c>leader</c> in the <c>&lt;prefix&gt;-locks</c> container:
/// the instance holding the lease leads and renews it every third of <c>Storage:BlobLeaseDuration</c>; a renewal that is
/// refused, or that has not succeeded for longer than the lease lasts, ends its leadership. A stopping leader releases
/// the lease, so another instance takes over at its next attempt; a killed one loses it when the lease expires.
/// </summary>
public sealed partial class BlobLeaseLeadership(BlobContainerClient locks, TimeSpan leaseDuration, TimeProvider time, ILogger<BlobLeaseLeadership> logger)
    : BackgroundService, ILeadership
{
    private readonly BlobLeaseClient _lease = locks.GetBlobClient("leader").GetBlobLeaseClient();
    private readonly Lock _gate = new();
    private TaskCompletionSource _leading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _isLeader;

    /// <summary>This instance's lease id (unique per process).</summary>
    public string LeaseId => _lease.LeaseId;

    public bool IsLeader => _isLeader;

    public Task WaitForLeadershipAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _leading.Task.WaitAsync(cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var renewEvery = leaseDuration / 3;
        var lastRenewed = DateTimeOffset.MinValue;
        var blobReady = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_isLeader)
                {
                    await _lease.RenewAsync(cancellationToken: stoppingToken);
                    lastRenewed = time.GetUtcNow();
                }
                else
                {
                    if (!blobReady)
                    {
                        await BlobLeases.EnsureBlobAsync(locks, "leader", stoppingToken);
                        blobReady = true;
                    }
                    await _lease.AcquireAsync(leaseDuration, cancellationToken: stoppingToken);
                    lastRenewed = time.GetUtcNow();
                    SetLeader(true);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
            {
                // Another instance holds the lease (or took it after ours expired); 404: the blob is gone, create it again.
                blobReady &= e.Status != 404;
                SetLeader(false);
            }
            catch (Exception ex)
            {
                LogLeaseError(logger, ex);
                if (_isLeader && time.GetUtcNow() - lastRenewed >= leaseDuration - renewEvery)
                {
                    // Cannot confirm the lease before it runs out: stop leading rather than risk two leaders.
                    SetLeader(false);
                }
            }
            try
            {
                await Task.Delay(renewEvery, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_isLeader)
        {
            SetLeader(false);
            try
            {
                await _lease.ReleaseAsync(cancellationToken: cancellationToken);
            }
            catch (Exception ex) when (ex is RequestFailedException or OperationCanceledException)
            {
                // It expires on its own.
            }
        }
    }

    private void SetLeader(bool leading)
    {
        lock (_gate)
        {
            if (leading == _isLeader)
            {
                return;
            }
            _isLeader = leading;
            if (leading)
            {
                _leading.TrySetResult();
            }
            else
            {
                _leading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
        LogLeadership(logger, leading ? "is now" : "is no longer", _lease.LeaseId);
    }

    [LoggerMessage(EventId = 9110, Level = LogLevel.Information, Message = "This instance {Change} the scheduler leader (blob lease {LeaseId}).")]
    private static partial void LogLeadership(ILogger logger, string change, string leaseId);

    [LoggerMessage(EventId = 9111, Level = LogLevel.Warning, Message = "The leader blob lease could not be acquired or renewed; trying again.")]
    private static partial void LogLeaseError(ILogger logger, Exception ex);
}

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

internal static class BlobLeases
{
    /// <summary>Creates an empty blob to lease when it does not exist yet (idempotent; a leased blob is left alone).</summary>
    public static async Task EnsureBlobAsync(BlobContainerClient container, string name, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(name);
        try
        {
            await blob.UploadAsync(BinaryData.Empty, overwrite: false, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Exists already.
        }
    }
}
