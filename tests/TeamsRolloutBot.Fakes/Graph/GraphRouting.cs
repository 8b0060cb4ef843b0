using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TeamsRolloutBot.Fakes;

/// <summary>One Graph area of <see cref="FakeGraph"/> (users and groups, mail, SharePoint lists, ...): it owns its state and maps its routes.</summary>
public interface IGraphRoutes
{
    /// <summary>Adds this area's routes (templates relative to <c>/v1.0/</c>, for example <c>users/{id}/sendMail</c>).</summary>
    void Map(GraphRouteTable routes);
}

/// <summary>
/// The routes of a <see cref="FakeGraph"/>: method plus a template of literal segments (matched ignoring case, as Graph
/// does) and <c>{name}</c> segments (one path segment each, unescaped). The first route that matches answers.
/// </summary>
public sealed class GraphRouteTable
{
    private readonly List<(string Method, string[] Segments, Func<GraphRequest, GraphResponse> Handler)> _routes = [];

    public void Map(string method, string template, Func<GraphRequest, GraphResponse> handler) =>
        _routes.Add((method.ToUpperInvariant(), template.Trim('/').Split('/'), handler));

    internal Func<GraphRequest, GraphResponse>? Find(string method, string[] segments, Dictionary<string, string> values)
    {
        foreach (var (routeMethod, template, handler) in _routes)
        {
            values.Clear();
            if (routeMethod == method && Matches(template, segments, values))
            {
                return handler;
            }
        }
        values.Clear();
        return null;
    }

    private static bool Matches(string[] template, string[] segments, Dictionary<string, string> values)
    {
        if (template.Length != segments.Length)
        {
            return false;
        }
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] is ['{', .. var name, '}'])
            {
                values[name] = segments[i];
            }
            else if (!string.Equals(template[i], segments[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>A call as a route handler sees it: its route values, query, headers and body.</summary>
public sealed class GraphRequest
{
    private readonly IReadOnlyDictionary<string, string> _values;
    private readonly HttpRequest _http;

    internal GraphRequest(HttpRequest http, IReadOnlyDictionary<string, string> values, string body, string baseUrl)
    {
        _http = http;
        _values = values;
        Body = body;
        BaseUrl = baseUrl;
    }

    /// <summary>The value of a <c>{name}</c> segment of the route, unescaped.</summary>
    public string this[string name] => _values[name];

    public string Method => _http.Method;

    /// <summary>The path as received, for example <c>/v1.0/users/u1</c>.</summary>
    public string Path => _http.Path.Value ?? "";

    /// <summary>The fake's base URL (ends in /v1.0), for nextLinks.</summary>
    public string BaseUrl { get; }

    /// <summary>The body as text ("" when there is none).</summary>
    public string Body { get; }

    /// <summary>The body as JSON, property names matched ignoring case (Graph does; the SDK sends "Message").</summary>
    public JsonNode? Json => string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body, new JsonNodeOptions { PropertyNameCaseInsensitive = true });

    /// <summary>One query parameter (for example <c>$top</c>), or null.</summary>
    public string? Query(string name) => _http.Query.TryGetValue(name, out var value) ? value.FirstOrDefault() : null;

    /// <summary>The whole query string, unescaped, with its leading '?' ("" when there is none).</summary>
    public string QueryString => Uri.UnescapeDataString(_http.QueryString.Value ?? "");

    public string? Header(string name) => _http.Headers[name].FirstOrDefault();
}

/// <summary>What a route answers; <see cref="FakeGraph"/> writes it (or a scripted fault in its place).</summary>
public sealed record GraphResponse(int Status, string? Body = null, string ContentType = "application/json")
{
    /// <summary>Response headers to add (for example Retry-After).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public static GraphResponse Json(JsonNode node, int status = 200) => new(status, node.ToJsonString());

    public static GraphResponse Text(string text, int status = 200) => new(status, text, "text/plain");

    public static GraphResponse Empty(int status) => new(status);

    /// <summary>A Graph error body: <c>{"error":{"code":..,"message":..}}</c>.</summary>
    public static GraphResponse Error(int status, string code, string message) =>
        Json(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }, status);
}
