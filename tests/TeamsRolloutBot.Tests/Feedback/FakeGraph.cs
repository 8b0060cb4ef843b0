using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TeamsRolloutBot.Tests.Feedback.Replies;
using TeamsRolloutBot.Tests.Infrastructure;

namespace TeamsRolloutBot.Tests.Feedback;

/// <summary>One call the bot made to Graph, as the fake saw it.</summary>
public sealed record GraphCall(string Method, string Path, string Query, string? Authorization, string Body)
{
    public JsonNode? Json => string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body);
}

/// <summary>
/// Microsoft Graph's SharePoint list endpoints on loopback, with an in-memory list: items (POST, GET with a filter on a
/// field, PATCH fields) and columns (GET, POST); and the channel thread replies endpoint (<see cref="Replies"/>), so
/// one Graph serves both the catch-up and the SharePoint copy. A test can take Graph down (every call 503 with
/// Retry-After), queue answers for the next calls, or make the next POST create the item and then fail (a lost response).
/// </summary>
public sealed partial class FakeGraph : LoopbackServer
{
    public const string SiteId = "contoso.sharepoint.com,11111111-aaaa-bbbb-cccc-000000000001,22222222-aaaa-bbbb-cccc-000000000002";
    public const string ListId = "33333333-aaaa-bbbb-cccc-000000000003";

    private static readonly string[] Kinds = ["text", "number", "boolean", "dateTime", "choice"];
    private readonly ConcurrentQueue<(int Status, string? RetryAfter)> _scripted = new();
    private readonly Lock _lock = new();
    private int _ids;

    public ConcurrentQueue<GraphCall> Calls { get; } = new();

    /// <summary>The list's items by id (fields as last written).</summary>
    public ConcurrentDictionary<string, JsonObject> Items { get; } = new();

    /// <summary>The list's columns: name → facet kind (text, number, boolean, dateTime).</summary>
    public ConcurrentDictionary<string, string> Columns { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Title"] = "text",
    };

    /// <summary>Thread replies by root message id, as Graph's <c>/teams/.../messages/{root}/replies</c> serves them (chatMessage JSON).</summary>
    public ConcurrentDictionary<string, List<JsonObject>> Replies { get; } = new();

    /// <summary>Replies per page (a smaller value makes the catch-up follow nextLinks).</summary>
    public int RepliesPageSize { get; set; } = 50;

    /// <summary>While set, every call answers 503 with this Retry-After (seconds).</summary>
    public int? DownWithRetryAfter { get; set; }

    /// <summary>The next POST of an item creates it and then answers 500, as if the response was lost.</summary>
    public bool LoseNextCreateResponse { get; set; }

    /// <summary>The next POST of an item creates it and then answers only after this long (a timeout on the bot's side).</summary>
    public TimeSpan? SlowNextCreateResponse { get; set; }

    public string BaseUrl => Url + "/v1.0/";

    public static async Task<FakeGraph> StartNewAsync()
    {
        var server = new FakeGraph();
        await server.StartAsync(app => app.Map("/{**path}", server.HandleAsync));
        return server;
    }

    public void Enqueue(int status, string? retryAfter = null) => _scripted.Enqueue((status, retryAfter));

    public IReadOnlyList<GraphCall> CallsTo(string method, string pathEnd) =>
        [.. Calls.Where(c => c.Method == method && c.Path.EndsWith(pathEnd, StringComparison.Ordinal))];

    private async Task HandleAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context.Request);
        var path = context.Request.Path.Value ?? "";
        var query = Uri.UnescapeDataString(context.Request.QueryString.Value ?? "");
        Calls.Enqueue(new GraphCall(context.Request.Method, path, query, context.Request.Headers.Authorization.FirstOrDefault(), body));

        var prefix = $"/v1.0/sites/{SiteId}/lists/{ListId}/";
        var replies = path.StartsWith("/v1.0/teams/", StringComparison.Ordinal);
        if (!replies && !path.StartsWith(prefix, StringComparison.Ordinal))
        {
            await Error(context, 404, "itemNotFound", "The site or list does not exist.");
            return;
        }
        if (DownWithRetryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Error(context, 503, "serviceNotAvailable", "Graph is down.");
            return;
        }
        if (_scripted.TryDequeue(out var scripted))
        {
            if (scripted.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = scripted.RetryAfter;
            }
            await Error(context, scripted.Status, scripted.Status == 429 ? "TooManyRequests" : "generalException", "scripted");
            return;
        }
        if (replies)
        {
            await FakeRepliesGraph.ServeAsync(context, Url, path, Replies, RepliesPageSize);
            return;
        }

        var rest = path[prefix.Length..];
        var method = context.Request.Method;
        if (rest == "items" && method == "POST")
        {
            var fields = (JsonObject)JsonNode.Parse(body)!["fields"]!.DeepClone();
            var id = Interlocked.Increment(ref _ids).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Items[id] = fields;
            if (SlowNextCreateResponse is { } slow)
            {
                SlowNextCreateResponse = null;
                try
                {
                    await Task.Delay(slow, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;   // the bot gave up waiting; the item exists all the same
                }
            }
            if (LoseNextCreateResponse)
            {
                LoseNextCreateResponse = false;
                await Error(context, 500, "generalException", "created, but the response was lost");
                return;
            }
            context.Response.StatusCode = 201;
            await context.Response.WriteAsJsonAsync(new JsonObject { ["id"] = id, ["fields"] = fields.DeepClone() });
            return;
        }
        if (rest == "items" && method == "GET")
        {
            var match = FilterPattern().Match(query);
            if (!match.Success)
            {
                await Error(context, 400, "invalidRequest", "only a fields/X eq 'v' filter is supported by the fake");
                return;
            }
            var (column, value) = (match.Groups[1].Value, match.Groups[2].Value.Replace("''", "'", StringComparison.Ordinal));
            var found = Items.Where(i => i.Value[column]?.GetValue<string>() == value)
                .Select(i => (JsonNode?)new JsonObject { ["id"] = i.Key, ["fields"] = new JsonObject { [column] = value } });
            await context.Response.WriteAsJsonAsync(new JsonObject { ["value"] = new JsonArray([.. found]) });
            return;
        }
        if (rest.StartsWith("items/", StringComparison.Ordinal) && rest.EndsWith("/fields", StringComparison.Ordinal) && method == "PATCH")
        {
            var id = rest["items/".Length..^"/fields".Length];
            if (!Items.TryGetValue(id, out var fields))
            {
                await Error(context, 404, "itemNotFound", "Item not found");
                return;
            }
            lock (_lock)
            {
                foreach (var (key, value) in JsonNode.Parse(body)!.AsObject())
                {
                    fields[key] = value?.DeepClone();
                }
            }
            await context.Response.WriteAsJsonAsync(fields.DeepClone());
            return;
        }
        if (rest == "columns" && method == "GET")
        {
            var columns = Columns.Select(c => (JsonNode?)new JsonObject { ["name"] = c.Key, ["displayName"] = c.Key, [c.Value] = new JsonObject() });
            await context.Response.WriteAsJsonAsync(new JsonObject { ["value"] = new JsonArray([.. columns]) });
            return;
        }
        if (rest == "columns" && method == "POST")
        {
            var definition = JsonNode.Parse(body)!.AsObject();
            var name = definition["name"]!.GetValue<string>();
            var kind = Kinds.First(k => definition[k] is JsonObject);
            if (!Columns.TryAdd(name, kind))
            {
                await Error(context, 409, "nameAlreadyExists", "A column with this name exists.");
                return;
            }
            context.Response.StatusCode = 201;
            await context.Response.WriteAsJsonAsync(definition);
            return;
        }
        await Error(context, 400, "invalidRequest", $"the fake does not know {method} {rest}");
    }

    private static async Task Error(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });
    }

    [GeneratedRegex(@"\$filter=fields/(\w+) eq '((?:[^']|'')*)'")]
    private static partial Regex FilterPattern();
}
