using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Delivery;

/// <summary>
/// Keeps this instance's pacing at its share of the tenant: a heartbeat every <c>Delivery:InstanceHeartbeat</c> that
/// returns the live instances, and <see cref="TenantPacer"/> and <see cref="ConversationPacer"/> set to that count.
/// A joining instance that finds others holds its sends for one heartbeat (plus a second) so every other instance has
/// counted it before it sends; an instance that cannot reach the registry for longer than the others wait for it holds
/// its sends too (the others have already taken its share). Without a registry (SQLite) it does nothing.
/// </summary>
public sealed partial class PacingCoordinator(
    TenantPacer tenant,
    ConversationPacer conversations,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<PacingCoordinator> logger,
    IInstanceRegistry? registry = null) : IDisposable
{
    private static readonly TimeSpan RampMargin = TimeSpan.FromSeconds(1);
    private readonly TimeSpan _interval = options.Value.InstanceHeartbeat;
    private CancellationTokenSource? _stop;
    private Task? _loop;
    private DateTimeOffset _lastBeat;
    private long _beats;

    /// <summary>Whether instances are counted (AzureStorage) or this instance has the whole rate (SQLite).</summary>
    public bool Shared => registry is not null;

    /// <summary>Live instances at the last heartbeat (1 until the first).</summary>
    public int LiveInstances => tenant.Instances;

    /// <summary>Successful heartbeats so far.</summary>
    public long Beats => Interlocked.Read(ref _beats);

    /// <summary>
    /// Registers this instance and sets its share before the first send; then keeps beating until <see cref="LeaveAsync"/>.
    /// Retries until the registry answers (without it no share is known, and the outbox is on the same account anyway).
    /// </summary>
    public async Task JoinAsync(string instanceId, CancellationToken cancellationToken)
    {
        if (registry is null || _loop is not null)
        {
            return;
        }
        while (true)
        {
            try
            {
                var live = await registry.HeartbeatAsync(instanceId, cancellationToken);
                _lastBeat = time.GetUtcNow();
                Interlocked.Increment(ref _beats);
                Apply(live);
                if (live > 1)
                {
                    // The others still pace for a count without this instance until their next heartbeat.
                    tenant.Hold(_lastBeat + _interval + RampMargin);
                    LogRamp(logger, live, _interval + RampMargin);
                }
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogHeartbeatFailed(logger, ex);
                await Task.Delay(_interval, time, cancellationToken);
            }
        }
        _stop = new CancellationTokenSource();
        // The timer starts now, one heartbeat after the first, not whenever the loop's thread gets to run.
        var timer = new PeriodicTimer(_interval, time);
        _loop = Task.Run(() => BeatLoopAsync(instanceId, timer, _stop.Token), CancellationToken.None);
    }

    /// <summary>Stops the heartbeat and removes this instance from the registry (best effort: otherwise it expires).</summary>
    public async Task LeaveAsync(string instanceId)
    {
        if (registry is null || _loop is null || _stop is null)
        {
            return;
        }
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _stop = null;
        _loop = null;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await registry.LeaveAsync(instanceId, timeout.Token);
        }
        catch (Exception ex)
        {
            LogLeaveFailed(logger, ex);
        }
    }

    public void Dispose()
    {
        _stop?.Cancel();
        _stop?.Dispose();
        _stop = null;
    }

    private async Task BeatLoopAsync(string instanceId, PeriodicTimer timer, CancellationToken stop)
    {
        using var _ = timer;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    var live = await registry!.HeartbeatAsync(instanceId, stop);
                    _lastBeat = time.GetUtcNow();
                    Interlocked.Increment(ref _beats);
                    Apply(live);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogHeartbeatFailed(logger, ex);
                    var now = time.GetUtcNow();
                    // The others drop this instance after 3 heartbeats without one and take its share: stop before that.
                    if (now - _lastBeat >= _interval * 2)
                    {
                        tenant.Hold(now + _interval * 2);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Leaving.
        }
    }

    private void Apply(int live)
    {
        live = Math.Max(1, live);
        if (live != tenant.Instances)
        {
            tenant.SetInstances(live);
            conversations.SetInstances(live);
            LogShare(logger, live, tenant.RatePerSecond);
        }
        DeliveryTelemetry.PacingInstances.Record(live);
        DeliveryTelemetry.PacingRate.Record(tenant.RatePerSecond);
    }

    [LoggerMessage(EventId = 6110, Level = LogLevel.Information, Message = "Pacing: {Instances} live instances share the tenant rate; this one sends up to {Rate:0.##} calls/s.")]
    private static partial void LogShare(ILogger logger, int instances, double rate);

    [LoggerMessage(EventId = 6111, Level = LogLevel.Information, Message = "Pacing: joined {Instances} live instances; holding sends for {Wait} until the others have counted this one.")]
    private static partial void LogRamp(ILogger logger, int instances, TimeSpan wait);

    [LoggerMessage(EventId = 6112, Level = LogLevel.Warning, Message = "Pacing: the instance heartbeat failed; sends pause if it keeps failing.")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception ex);

    [LoggerMessage(EventId = 6113, Level = LogLevel.Warning, Message = "Pacing: could not remove this instance from the registry; the others take over its share when it expires.")]
    private static partial void LogLeaveFailed(ILogger logger, Exception ex);
}
