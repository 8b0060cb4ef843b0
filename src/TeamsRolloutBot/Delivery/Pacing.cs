using System.Collections.Concurrent;
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

/// <summary>
/// Teams' per-conversation limits (by default 7 per second, 8 per 2 s, 60 per 30 s, 1800 per hour): reserves the
/// earliest instant at which one more call to a conversation stays within every window. With several instances each
/// window's count is shared like the tenant rate (<see cref="SetInstances"/>), since two instances may each hold jobs
/// for the same conversation.
/// </summary>
public sealed class ConversationPacer(IOptions<DeliveryOptions> options, TimeProvider time)
{
    private readonly IReadOnlyList<(int Count, TimeSpan Window)> _configured = options.Value.ConversationWindows;
    private volatile IReadOnlyList<(int Count, TimeSpan Window)> _windows = options.Value.ConversationWindows;
    private readonly ConcurrentDictionary<string, List<DateTimeOffset>> _sent = new(StringComparer.Ordinal);
    private readonly TimeSpan _longest = options.Value.ConversationWindows.Count == 0 ? TimeSpan.Zero : options.Value.ConversationWindows.Max(w => w.Window);
    private long _calls;

    /// <summary>Conversations with recent calls being tracked.</summary>
    public int Tracked => _sent.Count;

    /// <summary>The windows this instance applies now.</summary>
    public IReadOnlyList<(int Count, TimeSpan Window)> Windows => _windows;

    /// <summary>Divides each window's count between <paramref name="instances"/> live instances (rounded down, at least 1).</summary>
    public void SetInstances(int instances)
    {
        instances = Math.Max(1, instances);
        _windows = [.. _configured.Select(w => (Math.Max(1, w.Count / instances), w.Window))];
    }

    /// <summary>Waits until one more call to <paramref name="conversationId"/> is within every window, and records it.</summary>
    public async ValueTask WaitAsync(string conversationId, CancellationToken cancellationToken)
    {
        if (_configured.Count == 0)
        {
            return;
        }
        var wait = Reserve(conversationId);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    /// <summary>Records a call and returns how long the caller must wait before making it.</summary>
    public TimeSpan Reserve(string conversationId)
    {
        var now = time.GetUtcNow();
        if (Interlocked.Increment(ref _calls) % 4096 == 0)
        {
            Evict(now);
        }
        var log = _sent.GetOrAdd(conversationId, _ => new List<DateTimeOffset>(1));
        lock (log)
        {
            var horizon = now - _longest;
            var stale = 0;
            while (stale < log.Count && log[stale] <= horizon)
            {
                stale++;
            }
            log.RemoveRange(0, stale);
            var slot = log.Count > 0 && log[^1] > now ? log[^1] : now;
            foreach (var (count, window) in _windows)
            {
                if (log.Count >= count)
                {
                    // The count-th most recent call must have left the window.
                    var leaves = log[log.Count - count] + window + TimeSpan.FromMilliseconds(1);
                    if (leaves > slot)
                    {
                        slot = leaves;
                    }
                }
            }
            log.Add(slot);
            return slot - now;
        }
    }

    private void Evict(DateTimeOffset now)
    {
        var horizon = now - _longest;
        foreach (var (key, log) in _sent)
        {
            lock (log)
            {
                if (log.Count == 0 || log[^1] <= horizon)
                {
                    _sent.TryRemove(new KeyValuePair<string, List<DateTimeOffset>>(key, log));
                }
            }
        }
    }
}

/// <summary>
/// Sees every connector call, including the ones the resilience pipeline retries: a retry takes a pacer slot like the
/// first attempt (it is one more call against the tenant's limit), and a 429 pauses the tenant.
/// </summary>
public sealed class ThrottleObserver(TenantPacer pacer) : DelegatingHandler
{
    private static readonly TimeSpan DefaultPause = TimeSpan.FromSeconds(1);
    private static readonly HttpRequestOptionsKey<bool> Attempted = new("TeamsRolloutBot.Delivery.Attempted");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The caller took a slot for the first attempt. Unpaced retries of 429s arrive together with the slots handed
        // out when the pause ends and overrun the limit again; with several instances they overrun the others' share.
        if (request.Options.TryGetValue(Attempted, out var attempted) && attempted)
        {
            await pacer.WaitAsync(cancellationToken);
        }
        request.Options.Set(Attempted, true);
        var response = await base.SendAsync(request, cancellationToken);
        if ((int)response.StatusCode == 429)
        {
            pacer.Pause(Protocol.ConnectorClient.RetryAfter(response) is { } wait && wait > TimeSpan.Zero ? wait : DefaultPause);
        }
        return response;
    }
}
