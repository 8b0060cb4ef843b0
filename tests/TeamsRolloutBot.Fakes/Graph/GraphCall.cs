using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Fakes;

/// <summary>
/// One call the bot made to <see cref="FakeGraph"/>, as received: method, path (without the query), query (unescaped,
/// with its '?'), Authorization header, body, and every header.
/// </summary>
public sealed record GraphCall(string Method, string Path, string Query, string? Authorization, string Body, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The body as JSON, or null when there is none.</summary>
    public JsonNode? Json => string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body);

    /// <summary>A request header (case-insensitive name), or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
