using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TeamsRolloutBot.Tests.Infrastructure;

namespace TeamsRolloutBot.Tests.Feedback.Replies;

/// <summary>
/// Graph's <c>/teams/{group}/channels/{channel}/messages/{root}/replies</c> on loopback: the replies of each root in
/// pages of <see cref="PageSize"/> (with <c>@odata.nextLink</c>), and scripted failures (429 with Retry-After, 503).
/// </summary>
public sealed class FakeRepliesGraph : LoopbackServer
{
    private readonly ConcurrentQueue<(int Status, string? RetryAfter)> _scripted = new();

    public ConcurrentDictionary<string, List<JsonObject>> Replies { get; } = new();
    public ConcurrentQueue<(string Path, string Query, string? Authorization)> Calls { get; } = new();
    public int PageSize { get; set; } = 2;
    public string BaseUrl => Url + "/v1.0/";

    public static async Task<FakeRepliesGraph> StartNewAsync()
    {
        var server = new FakeRepliesGraph();
        await server.StartAsync(app => app.Map("/{**path}", server.HandleAsync));
        return server;
    }

    public void Enqueue(int status, string? retryAfter = null) => _scripted.Enqueue((status, retryAfter));

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

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var query = Uri.UnescapeDataString(context.Request.QueryString.Value ?? "");
        Calls.Enqueue((path, query, context.Request.Headers.Authorization.FirstOrDefault()));
        if (_scripted.TryDequeue(out var failure))
        {
            context.Response.StatusCode = failure.Status;
            if (failure.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = failure.RetryAfter;
            }
            await context.Response.WriteAsJsonAsync(new { error = new { code = failure.Status == 429 ? "TooManyRequests" : "ServiceUnavailable", message = "scripted" } });
            return;
        }
        await ServeAsync(context, Url, path, Replies, PageSize);
    }

    /// <summary>Answers a replies request from <paramref name="replies"/> (by root id), <paramref name="pageSize"/> a page; 404 for an unknown root.</summary>
    public static async Task ServeAsync(HttpContext context, string url, string path, ConcurrentDictionary<string, List<JsonObject>> replies, int pageSize)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        // v1.0 teams {group} channels {channel} messages {root} replies
        if (parts.Length != 8 || parts[1] != "teams" || parts[7] != "replies" || !replies.TryGetValue(Uri.UnescapeDataString(parts[6]), out var all))
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsJsonAsync(new { error = new { code = "NotFound", message = path } });
            return;
        }
        var skip = context.Request.Query["$skiptoken"].FirstOrDefault() is { } token ? int.Parse(token, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var page = all.Skip(skip).Take(pageSize).ToList();
        var body = new JsonObject { ["value"] = new JsonArray([.. page.Select(p => (JsonNode)p.DeepClone())]) };
        if (skip + pageSize < all.Count)
        {
            body["@odata.nextLink"] = $"{url}{path}?$top=50&$skiptoken={skip + pageSize}";
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }
}
