using System.Threading.Channels;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Delivery;

/// <summary>A leased job with the user's 1:1 chat looked up for the whole batch.</summary>
internal sealed record DispatchItem(LeasedJob Leased, StoredConversation? Personal, bool Prefetched);

/// <summary>
/// Takes due jobs from the outbox under a lease and sends them with <c>Delivery:MaxConcurrency</c> workers, paced by
/// <see cref="TenantPacer"/> (at this instance's share of the tenant rate, see <see cref="PacingCoordinator"/>); records every attempt's outcome before taking the next job. On shutdown it stops taking
/// jobs, lets sends in flight finish and be recorded, and gives unstarted leases back. After a hard kill the leases
/// expire and the jobs go out again (at-least-once; see docs/architecture.md).
/// </summary>
public sealed partial class DeliveryDispatcher(
    IDeliveryStore store,
    DeliverySender sender,
    PacingCoordinator pacing,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<DeliveryDispatcher> logger) : BackgroundService
{
    private readonly DeliveryOptions _options = options.Value;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Channel<(JobUpdate Update, TaskCompletionSource Recorded)> _records =
        Channel.CreateUnbounded<(JobUpdate, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _held = new(StringComparer.Ordinal);
    private long _delivered;
    private long _finished;
    private long _attempts;
    private int _inFlight;

    /// <summary>This process's lease owner id.</summary>
    public string Owner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>Jobs delivered by this process.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Jobs finished (any final outcome) by this process.</summary>
    public long Finished => Interlocked.Read(ref _finished);

    /// <summary>Attempts made by this process.</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>Sends in progress right now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Tells an idle dispatcher that new jobs were queued.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = Channel.CreateBounded<DispatchItem>(new BoundedChannelOptions(_options.MaxConcurrency) { SingleWriter = true });
        var recorder = Task.Run(RecordLoopAsync, CancellationToken.None);
        var workers = Enumerable.Range(0, _options.MaxConcurrency).Select(_ => Task.Run(() => WorkAsync(queue.Reader, stoppingToken), CancellationToken.None)).ToArray();
        try
        {
            // Counted among the live instances (and at its share of the rate) before it leases anything.
            await pacing.JoinAsync(Owner, stoppingToken);
            await LeaseLoopAsync(queue.Writer, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            queue.Writer.TryComplete();
            await Task.WhenAll(workers);
            _records.Writer.TryComplete();
            await recorder;
            var unstarted = new List<string>();
            while (queue.Reader.TryRead(out var left))
            {
                unstarted.Add(left.Leased.Job.Key);
                _held.TryRemove(left.Leased.Job.Key, out _);
            }
            await store.ReleaseAsync(unstarted, time.GetUtcNow(), CancellationToken.None);
            await pacing.LeaveAsync(Owner);
        }
    }

    private async Task LeaseLoopAsync(ChannelWriter<DispatchItem> writer, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            IReadOnlyList<LeasedJob> batch;
            try
            {
                batch = await store.LeaseAsync(Owner, _options.MaxConcurrency, time.GetUtcNow(), _options.LeaseDuration, stop);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogLeaseFailed(logger, ex);
                await DelayAsync(_options.PollInterval, stop);
                continue;
            }
            if (batch.Count == 0)
            {
                await DelayAsync(_options.PollInterval, stop);
                continue;
            }
            // One query for the whole batch's 1:1 chats instead of one per send.
            var personal = batch.Where(j => j.Job.Kind == DeliveryKind.Personal).Select(j => j.Job.Target).ToList();
            var conversations = await store.FindPersonalConversationsAsync(personal, stop);
            for (var i = 0; i < batch.Count; i++)
            {
                if (!_held.TryAdd(batch[i].Job.Key, 0))
                {
                    // Its lease ran out while a worker here is still sending it (long retries inside the connector
                    // pipeline): that worker records it; sending it again would be a duplicate.
                    continue;
                }
                var item = new DispatchItem(batch[i], conversations.GetValueOrDefault(batch[i].Job.Target), batch[i].Job.Kind == DeliveryKind.Personal);
                if (!await writer.WaitToWriteAsync(stop).ConfigureAwait(false) || !writer.TryWrite(item))
                {
                    _held.TryRemove(batch[i].Job.Key, out _);
                    var unsent = batch.Skip(i).Select(j => j.Job.Key).Where(key => !_held.ContainsKey(key)).ToList();
                    await store.ReleaseAsync(unsent, time.GetUtcNow(), CancellationToken.None);
                    return;
                }
            }
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            using var timeout = new CancellationTokenSource(delay, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token);
            await _wake.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            // The poll interval passed, or shutting down.
        }
    }

    private async Task WorkAsync(ChannelReader<DispatchItem> reader, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && reader.TryRead(out var item) || await WaitAsync(reader, stop) && reader.TryRead(out item))
        {
            var job = item.Leased;
            Interlocked.Increment(ref _inFlight);
            try
            {
                await ProcessAsync(item, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped while waiting for a slot: nothing was sent, give the job back.
                await store.ReleaseAsync([job.Job.Key], time.GetUtcNow(), CancellationToken.None);
            }
            catch (Exception ex)
            {
                // A bug or a store failure: the lease expires and the job is tried again.
                LogJobCrashed(logger, ex, job.Job.Key);
            }
            finally
            {
                _held.TryRemove(job.Job.Key, out _);
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    private static async Task<bool> WaitAsync(ChannelReader<DispatchItem> reader, CancellationToken stop)
    {
        if (stop.IsCancellationRequested)
        {
            return false;
        }
        try
        {
            return await reader.WaitToReadAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task ProcessAsync(DispatchItem item, CancellationToken stop)
    {
        var job = item.Leased;
        Interlocked.Increment(ref _attempts);
        var step = await sender.SendAsync(job, stop, item.Personal, item.Prefetched);
        DeliveryTelemetry.Attempts.Add(1, new KeyValuePair<string, object?>("outcome", step.Result.Outcome.ToString()),
            new KeyValuePair<string, object?>("kind", job.Job.Kind.ToString()));
        // The worker takes its next job only once this one's outcome is committed: that keeps the jobs that may be
        // sent twice after a crash to the ones in flight (at most MaxConcurrency). Commits are grouped across workers.
        var recorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _records.Writer.WriteAsync((new JobUpdate(job.Job.Key, step.Result, step.RetryAt, step.CountAttempt, step.InstallRequested), recorded), CancellationToken.None);
        await recorded.Task;
        if (step.RetryAt is { } retryAt)
        {
            LogRescheduled(logger, job.Job.Key, step.Result.Outcome, retryAt);
            return;
        }
        Interlocked.Increment(ref _finished);
        if (step.Result.Outcome == DeliveryOutcome.Delivered)
        {
            Interlocked.Increment(ref _delivered);
        }
        else
        {
            LogNotDelivered(logger, job.Job.Key, step.Result.Outcome, step.Result.Detail ?? "");
        }
    }

    private async Task RecordLoopAsync()
    {
        var batch = new List<(JobUpdate Update, TaskCompletionSource Recorded)>(512);
        var reader = _records.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < 512 && reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            try
            {
                await store.RecordAsync(batch.Select(b => b.Update).ToList(), CancellationToken.None);
                batch.ForEach(b => b.Recorded.TrySetResult());
            }
            catch (Exception ex)
            {
                LogRecordFailed(logger, ex, batch.Count);
                batch.ForEach(b => b.Recorded.TrySetException(ex));
            }
            batch.Clear();
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 6104, Level = LogLevel.Error, Message = "Recording {Count} delivery outcomes failed; those jobs are retried when their leases expire.")]
    private static partial void LogRecordFailed(ILogger logger, Exception ex, int count);

    [LoggerMessage(EventId = 6100, Level = LogLevel.Error, Message = "Leasing due jobs failed; retrying.")]
    private static partial void LogLeaseFailed(ILogger logger, Exception ex);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Error, Message = "Job {Job} failed unexpectedly; it is retried when its lease expires.")]
    private static partial void LogJobCrashed(ILogger logger, Exception ex, string job);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Debug, Message = "Job {Job}: {Outcome}, retried at {RetryAt:O}.")]
    private static partial void LogRescheduled(ILogger logger, string job, DeliveryOutcome outcome, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Information, Message = "Job {Job} not delivered: {Outcome} {Detail}.")]
    private static partial void LogNotDelivered(ILogger logger, string job, DeliveryOutcome outcome, string detail);
}
