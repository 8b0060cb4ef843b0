using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Fakes;

/// <summary>
/// <c>GET teams/{group}/channels/{channel}/messages/{root}/replies</c>: the replies of each root in pages of
/// <see cref="PageSize"/> (with <c>@odata.nextLink</c>); 404 for an unknown root.
/// </summary>
public sealed class ChannelMessageRoutes : IGraphRoutes
{
    /// <summary>Thread replies by root message id (chatMessage JSON, see <see cref="Message"/>).</summary>
    public ConcurrentDictionary<string, List<JsonObject>> Replies { get; } = new();

    /// <summary>Replies per page (a smaller value makes the catch-up follow nextLinks).</summary>
    public int PageSize { get; set; } = 50;

    /// <summary>A chatMessage as Graph returns it.</summary>
    public static JsonObject Message(string id, string aad, string name, string html, DateTimeOffset created, DateTimeOffset? edited = null, DateTimeOffset? deleted = null) => new()
    {
        ["id"] = id,
        ["replyToId"] = "root",
        ["etag"] = "1",
        ["messageType"] = "message",
        ["createdDateTime"] = created.ToString("O"),
        ["lastModifiedDateTime"] = (deleted ?? edited ?? created).ToString("O"),
        ["lastEditedDateTime"] = edited?.ToString("O"),
        ["deletedDateTime"] = deleted?.ToString("O"),
        ["from"] = new JsonObject { ["user"] = new JsonObject { ["id"] = aad, ["displayName"] = name, ["userIdentityType"] = "aadUser" } },
        ["body"] = new JsonObject { ["contentType"] = "html", ["content"] = deleted is null ? html : "" },
    };

    public void Map(GraphRouteTable routes) => routes.Map("GET", "teams/{group}/channels/{channel}/messages/{root}/replies", r =>
    {
        if (!Replies.TryGetValue(r["root"], out var all))
        {
            return GraphResponse.Error(404, "NotFound", r.Path);
        }
        var skip = r.Query("$skiptoken") is { } token ? int.Parse(token, CultureInfo.InvariantCulture) : 0;
        var page = all.Skip(skip).Take(PageSize).ToList();
        var body = new JsonObject { ["value"] = new JsonArray([.. page.Select(p => (JsonNode)p.DeepClone())]) };
        if (skip + PageSize < all.Count)
        {
            body["@odata.nextLink"] = $"{r.BaseUrl[..^"/v1.0".Length]}{r.Path}?$top=50&$skiptoken={skip + PageSize}";
        }
        return GraphResponse.Json(body);
    });
}
