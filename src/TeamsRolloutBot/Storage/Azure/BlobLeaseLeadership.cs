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
