using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Fakes;

/// <summary>A user in the fake directory; its userPrincipalName is <paramref name="UserPrincipalName"/>, else <paramref name="Mail"/>.</summary>
public sealed record FakeUser(string Id, string? Mail, string? PreferredLanguage = null, string? DisplayName = null, string? UserPrincipalName = null)
{
    public string? Upn => UserPrincipalName ?? Mail;
}

/// <summary>
/// The directory: <c>GET users/{id or UPN}</c>, <c>GET groups/{id}/transitiveMembers/microsoft.graph.user</c> (paged
/// with @odata.nextLink, <see cref="PageSize"/> at most), its <c>$count</c>, and <c>POST users/{id}/checkMemberGroups</c>.
/// </summary>
public sealed class DirectoryRoutes : IGraphRoutes
{
    /// <summary>Users by id.</summary>
    public ConcurrentDictionary<string, FakeUser> Users { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Members per group id (transitive: nested groups already flattened).</summary>
    public ConcurrentDictionary<string, IReadOnlyList<FakeUser>> Groups { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>What <c>$count</c> answers for a group, where it differs from its member list (a big group not listed member by member).</summary>
    public ConcurrentDictionary<string, int> GroupCounts { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Page size of transitiveMembers (Graph: up to 999 with $top).</summary>
    public int PageSize { get; set; } = 999;

    public void AddUser(FakeUser user) => Users[user.Id] = user;

    /// <summary>Sets a group's members and adds each to <see cref="Users"/>.</summary>
    public void AddGroup(string groupId, IReadOnlyList<FakeUser> members)
    {
        Groups[groupId] = members;
        foreach (var member in members)
        {
            Users[member.Id] = member;
        }
    }

    public void Map(GraphRouteTable routes)
    {
        routes.Map("GET", "users/{id}", r => FindUser(r["id"]) is { } user
            ? GraphResponse.Json(UserJson(user))
            : GraphResponse.Error(404, "Request_ResourceNotFound", "no such user"));
        routes.Map("POST", "users/{id}/checkMemberGroups", CheckMemberGroups);
        routes.Map("GET", "groups/{id}/transitiveMembers/microsoft.graph.user/$count", Count);
        routes.Map("GET", "groups/{id}/transitiveMembers/microsoft.graph.user", Members);
        routes.Map("GET", "groups/{id}/transitiveMembers", Members);
    }

    private FakeUser? FindUser(string idOrUpn) =>
        Users.TryGetValue(idOrUpn, out var user)
            ? user
            : Users.Values.FirstOrDefault(u => string.Equals(u.Mail, idOrUpn, StringComparison.OrdinalIgnoreCase) || string.Equals(u.Upn, idOrUpn, StringComparison.OrdinalIgnoreCase));

    private GraphResponse CheckMemberGroups(GraphRequest request)
    {
        var member = request["id"];
        var asked = request.Json?["groupIds"]?.AsArray().Select(g => g!.GetValue<string>()) ?? [];
        var found = asked.Where(g => Groups.TryGetValue(g, out var members) && members.Any(m => string.Equals(m.Id, member, StringComparison.OrdinalIgnoreCase)));
        return GraphResponse.Json(new JsonObject { ["value"] = new JsonArray([.. found.Select(g => (JsonNode)g)]) });
    }

    private GraphResponse Count(GraphRequest request)
    {
        var group = request["id"];
        int? count = GroupCounts.TryGetValue(group, out var size) ? size : Groups.TryGetValue(group, out var members) ? members.Count : null;
        return count is { } n
            ? GraphResponse.Text(n.ToString(CultureInfo.InvariantCulture))
            : GraphResponse.Error(404, "Request_ResourceNotFound", "no such group");
    }

    private GraphResponse Members(GraphRequest request)
    {
        var groupId = request["id"];
        if (!Groups.TryGetValue(groupId, out var members))
        {
            return GraphResponse.Error(404, "Request_ResourceNotFound", "no such group");
        }
        var skip = int.TryParse(request.Query("$skiptoken"), out var s) ? s : 0;
        var top = int.TryParse(request.Query("$top"), out var t) ? Math.Min(t, PageSize) : Math.Min(100, PageSize);
        var page = members.Skip(skip).Take(top).Select(u => (JsonNode)UserJson(u)).ToArray();
        var result = new JsonObject { ["value"] = new JsonArray(page) };
        if (skip + top < members.Count)
        {
            result["@odata.nextLink"] = $"{request.BaseUrl}/groups/{groupId}/transitiveMembers/microsoft.graph.user?$top={top}&$skiptoken={skip + top}";
        }
        return GraphResponse.Json(result);
    }

    private static JsonObject UserJson(FakeUser u) => new()
    {
        ["@odata.type"] = "#microsoft.graph.user",
        ["id"] = u.Id,
        ["displayName"] = u.DisplayName ?? u.Id,
        ["mail"] = u.Mail,
        ["userPrincipalName"] = u.Upn,
        ["preferredLanguage"] = u.PreferredLanguage,
    };
}
