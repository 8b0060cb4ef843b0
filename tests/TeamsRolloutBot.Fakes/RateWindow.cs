using System.Diagnostics;

namespace TeamsRolloutBot.Fakes;

/// <summary>A limit of <c>limit</c> calls per sliding <c>window</c>, as Microsoft's services count them: a call over it is refused.</summary>
public sealed class RateWindow(int limit, TimeSpan window)
{
    private readonly Queue<long> _calls = new();
    private readonly Lock _gate = new();
    private readonly long _window = (long)(Stopwatch.Frequency * window.TotalSeconds);

    public int Limit => limit;

    /// <summary>Takes a slot for a call now; false when the window is full (the caller answers 429).</summary>
    public bool TryTake()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            while (_calls.Count > 0 && _calls.Peek() <= now - _window)
            {
                _calls.Dequeue();
            }
            if (_calls.Count >= limit)
            {
                return false;
            }
            _calls.Enqueue(now);
            return true;
        }
    }
}
