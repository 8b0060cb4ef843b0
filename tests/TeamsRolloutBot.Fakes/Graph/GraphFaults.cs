using System.Globalization;

namespace TeamsRolloutBot.Fakes;

/// <summary>
/// A scripted answer of <see cref="FakeGraph"/>. <see cref="Status"/> null is the route's own answer (with
/// <see cref="Delay"/>: a slow answer). <see cref="AfterHandling"/>: the route runs first (the call takes effect), then
/// this answer replaces its own (a lost or late response). <see cref="Method"/> and <see cref="PathEnd"/> limit the
/// calls it applies to.
/// </summary>
public sealed record GraphFault
{
    public int? Status { get; init; } = 503;
    public int? RetryAfterSeconds { get; init; }

    /// <summary>The body to answer (JSON); by default a Graph error body with a code for the status.</summary>
    public string? Body { get; init; }

    /// <summary>How long to wait before answering; if the caller gives up first, nothing is answered.</summary>
    public TimeSpan Delay { get; init; }

    public bool AfterHandling { get; init; }
    public string? Method { get; init; }
    public string? PathEnd { get; init; }

    internal bool Applies(string method, string path) =>
        (Method is null || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
        && (PathEnd is null || path.EndsWith(PathEnd, StringComparison.Ordinal));

    internal GraphResponse Response()
    {
        var status = Status ?? 200;
        var response = Body is not null
            ? new GraphResponse(status, Body)
            : GraphResponse.Error(status, status switch
            {
                429 => "TooManyRequests",
                503 => "serviceNotAvailable",
                401 => "InvalidAuthenticationToken",
                403 => "Authorization_RequestDenied",
                _ => "generalException",
            }, "scripted by the fake");
        return RetryAfterSeconds is { } seconds
            ? response with { Headers = new Dictionary<string, string> { ["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture) } }
            : response;
    }
}

/// <summary>
/// The one fault-scripting API of <see cref="FakeGraph"/>: faults for the next calls (each used once, in the order
/// added, by the first call it applies to), or Graph down (every call) until <see cref="Up"/>. Faults apply to every
/// call, known route or not; while Graph is down the queued ones wait.
/// </summary>
public sealed class GraphFaults
{
    private readonly List<GraphFault> _pending = [];
    private readonly Lock _lock = new();
    private GraphFault? _down;

    /// <summary>Faults added and not yet used.</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>True between <see cref="Down"/> and <see cref="Up"/>.</summary>
    public bool IsDown => Volatile.Read(ref _down) is not null;

    /// <summary>The next <paramref name="count"/> calls answer this fault.</summary>
    public void Add(GraphFault fault, int count = 1)
    {
        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                _pending.Add(fault);
            }
        }
    }

    /// <summary>The next <paramref name="count"/> calls answer <paramref name="status"/> (with Retry-After seconds, and a body) instead of being handled.</summary>
    public void Next(int status, int count = 1, int? retryAfterSeconds = null, string? body = null) =>
        Add(new GraphFault { Status = status, RetryAfterSeconds = retryAfterSeconds, Body = body }, count);

    /// <summary>The next <paramref name="count"/> calls of <paramref name="method"/> to a path ending in <paramref name="pathEnd"/> answer <paramref name="status"/>.</summary>
    public void NextTo(string method, string pathEnd, int status, int count = 1, int? retryAfterSeconds = null, string? body = null) =>
        Add(new GraphFault { Status = status, RetryAfterSeconds = retryAfterSeconds, Body = body, Method = method, PathEnd = pathEnd }, count);

    /// <summary>The next <paramref name="count"/> calls hang this long (the bot's timeout should fire first), then answer 503.</summary>
    public void Hang(TimeSpan duration, int count = 1) => Add(new GraphFault { Status = 503, Delay = duration }, count);

    /// <summary>The next such call takes effect, then answers 500: as if its response was lost.</summary>
    public void LoseResponse(string method, string pathEnd) =>
        Add(new GraphFault { Status = 500, AfterHandling = true, Method = method, PathEnd = pathEnd });

    /// <summary>The next such call takes effect, then answers only after <paramref name="delay"/> (a timeout on the bot's side).</summary>
    public void SlowResponse(string method, string pathEnd, TimeSpan delay) =>
        Add(new GraphFault { Status = null, Delay = delay, AfterHandling = true, Method = method, PathEnd = pathEnd });

    /// <summary>From now on every call answers <paramref name="status"/> (with Retry-After seconds) until <see cref="Up"/>.</summary>
    public void Down(int status = 503, int? retryAfterSeconds = null) =>
        Volatile.Write(ref _down, new GraphFault { Status = status, RetryAfterSeconds = retryAfterSeconds });

    /// <summary>Ends <see cref="Down"/>.</summary>
    public void Up() => Volatile.Write(ref _down, null);

    /// <summary>Drops every pending fault and ends <see cref="Down"/>.</summary>
    public void Clear()
    {
        Up();
        lock (_lock)
        {
            _pending.Clear();
        }
    }

    internal GraphFault? Take(string method, string path)
    {
        if (Volatile.Read(ref _down) is { } down)
        {
            return down;
        }
        lock (_lock)
        {
            var index = _pending.FindIndex(f => f.Applies(method, path));
            if (index < 0)
            {
                return null;
            }
            var fault = _pending[index];
            _pending.RemoveAt(index);
            return fault;
        }
    }
}
