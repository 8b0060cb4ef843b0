using System.Collections.Concurrent;

namespace TeamsRolloutBot.Fakes;

/// <summary>
/// App installation for a user: <c>POST users/{id}/teamwork/installedApps</c> (201), which adds the user to
/// <see cref="Teams"/>' installed users. With <see cref="Limit"/> it enforces Graph's limit for such calls (Teams
/// service, "other API calls": 30 requests per second per app per tenant) and answers 429 with <c>Retry-After: 1</c>.
/// </summary>
public sealed class TeamsAppRoutes : IGraphRoutes
{
    private long _throttled;

    /// <summary>App installs requested, by user id, in order.</summary>
    public ConcurrentQueue<string> Installs { get; } = new();

    /// <summary>The Teams fake whose installed users an install adds to.</summary>
    public FakeTeams? Teams { get; set; }

    /// <summary>Graph's rate limit on installs; null: none (functional tests).</summary>
    public RateWindow? Limit { get; set; }

    /// <summary>Installs answered 429 because of <see cref="Limit"/>.</summary>
    public long Throttled => Interlocked.Read(ref _throttled);

    public void Map(GraphRouteTable routes) => routes.Map("POST", "users/{id}/teamwork/installedApps", r =>
    {
        if (Limit is { } limit && !limit.TryTake())
        {
            Interlocked.Increment(ref _throttled);
            return GraphResponse.Error(429, "TooManyRequests", "Too many requests") with { Headers = new Dictionary<string, string> { ["Retry-After"] = "1" } };
        }
        Installs.Enqueue(r["id"]);
        Teams?.Installed.TryAdd(r["id"], true);
        return GraphResponse.Empty(201);
    });
}
