using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Delivery;

/// <summary>
/// Paces every connector call of the tenant: one slot every 1/rate seconds, handed out in order, and a pause for the
/// whole tenant when Teams answers 429. Hand-written rather than System.Threading.RateLimiting because those limiters
/// run on the system clock (a test cannot drive them with a fake <see cref="TimeProvider"/>), replenish on a timer
/// that drops tokens when the thread pool is busy, and have no "pause until" for Retry-After.
/// With several instances on one storage account, <see cref="SetInstances"/> gives this instance its share of the rate.
/// </summary>
public sealed class TenantPacer
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly double _tenantRate;
    private TimeSpan _interval;
    private int _limit;
    private int _instances = 1;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private readonly DateTimeOffset[] _granted;
    private int _head;
    private int _grantedCount;
    private DateTimeOffset _next;
    private DateTimeOffset _pausedUntil;
    private long _throttles;

    public TenantPacer(IOptions<DeliveryOptions> options, TimeProvider time)
    {
        _time = time;
        _tenantRate = options.Value.TenantRatePerSecond;
        _next = time.GetUtcNow();
        _granted = new DateTimeOffset[Math.Max(1, (int)Math.Floor(_tenantRate))];
        Apply(_tenantRate);
    }

    /// <summary>How many 429 answers paused the tenant so far.</summary>
    public long Throttles => Interlocked.Read(ref _throttles);

    /// <summary>Calls per second this instance may make now (its share of <c>Delivery:TenantRatePerSecond</c>).</summary>
    public double RatePerSecond { get { lock (_gate) { return 1.0 / _interval.TotalSeconds; } } }

    /// <summary>Live instances the tenant rate is shared between (1 without an instance registry).</summary>
    public int Instances { get { lock (_gate) { return _instances; } } }

    /// <summary>
    /// Shares the tenant rate between <paramref name="instances"/> live instances: each gets the rate divided by the
    /// count, rounded down to whole calls per second so the shares never add up to more than the rate, and never 0
    /// (below one call per second the exact fraction is kept).
    /// </summary>
    public void SetInstances(int instances)
    {
        instances = Math.Max(1, instances);
        lock (_gate)
        {
            _instances = instances;
            Apply(Share(_tenantRate, instances));
        }
    }

    /// <summary>The per-instance rate for <paramref name="instances"/> instances sharing <paramref name="tenantRate"/>.</summary>
    public static double Share(double tenantRate, int instances)
    {
        if (instances <= 1)
        {
            return tenantRate;
        }
        var share = tenantRate / instances;
        return share >= 1 ? Math.Floor(share) : share;
    }

    /// <summary>Gives no slots before <paramref name="until"/> (a joining instance waits until the others counted it).</summary>
    public void Hold(DateTimeOffset until)
    {
        lock (_gate)
        {
            PauseUntil(until);
        }
    }

    private void Apply(double rate)
    {
        _interval = TimeSpan.FromTicks((long)(TimeSpan.TicksPerSecond / rate));
        _limit = Math.Clamp((int)Math.Floor(rate), 1, _granted.Length);
    }

    /// <summary>When the tenant may send again after a 429 (in the past when not paused).</summary>
    public DateTimeOffset PausedUntil { get { lock (_gate) { return _pausedUntil; } } }

    /// <summary>
    /// Waits for this caller's slot. Slots are spaced evenly, never handed out during a pause, and never more than
    /// the rate within any one second of actual grant time (a thread-pool or GC stall must not release a burst).
    /// </summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            DateTimeOffset slot;
            var now = _time.GetUtcNow();
            lock (_gate)
            {
                slot = Max(Max(now, _next), _pausedUntil);
                _next = slot + _interval;
            }
            if (slot > now)
            {
                await Task.Delay(slot - now, _time, cancellationToken);
            }
            while (true)
            {
                TimeSpan wait;
                lock (_gate)
                {
                    now = _time.GetUtcNow();
                    if (_pausedUntil > now)
                    {
                        // A 429 arrived while this caller waited: it queues again behind the pause.
                        break;
                    }
                    // The _limit-th most recent grant must have left the window (the ring holds the full rate's worth).
                    var oldest = _granted[(_head - _limit + _granted.Length) % _granted.Length];
                    if (_grantedCount < _limit || oldest <= now - Window)
                    {
                        _granted[_head] = now;
                        _head = (_head + 1) % _granted.Length;
                        _grantedCount = Math.Min(_grantedCount + 1, _granted.Length);
                        return;
                    }
                    wait = oldest + Window - now + TimeSpan.FromMilliseconds(1);
                }
                await Task.Delay(wait, _time, cancellationToken);
            }
        }
    }

    /// <summary>Stops all sends of the tenant for <paramref name="retryAfter"/> (Teams answered 429).</summary>
    public void Pause(TimeSpan retryAfter)
    {
        Interlocked.Increment(ref _throttles);
        lock (_gate)
        {
            PauseUntil(_time.GetUtcNow() + retryAfter);
        }
    }

    private void PauseUntil(DateTimeOffset until)
    {
        if (until > _pausedUntil)
        {
            _pausedUntil = until;
        }
        if (_next < until)
        {
            _next = until;
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
