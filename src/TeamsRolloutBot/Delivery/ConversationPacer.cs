using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Delivery;

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
