using System.Collections.Concurrent;

namespace TeamsRolloutBot.Fakes;

/// <summary>App installation for a user: <c>POST users/{id}/teamwork/installedApps</c> (201), which adds the user to <see cref="Teams"/>' installed users.</summary>
public sealed class TeamsAppRoutes : IGraphRoutes
{
    /// <summary>App installs requested, by user id, in order.</summary>
    public ConcurrentQueue<string> Installs { get; } = new();

    /// <summary>The Teams fake whose installed users an install adds to.</summary>
    public FakeTeams? Teams { get; set; }

    public void Map(GraphRouteTable routes) => routes.Map("POST", "users/{id}/teamwork/installedApps", r =>
    {
        Installs.Enqueue(r["id"]);
        Teams?.Installed.TryAdd(r["id"], true);
        return GraphResponse.Empty(201);
    });
}
