using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Cards;

/// <summary>Reads the JSON files embedded under Cards/ (templates, strings, platform data), parsed once.</summary>
internal static class CardResources
{
    private static readonly Assembly Assembly = typeof(CardResources).Assembly;
    private static readonly ConcurrentDictionary<string, JsonNode?> Cache = new(StringComparer.Ordinal);

    /// <summary>The embedded resource names, with '/' separators, e.g. "Cards/Templates/survey.json".</summary>
    public static IEnumerable<string> Names =>
        Assembly.GetManifestResourceNames().Select(n => n.Replace('\\', '/')).Where(n => n.StartsWith("Cards/", StringComparison.Ordinal));

    /// <summary>The parsed JSON of a resource (callers must not change it), or null when there is no such resource.</summary>
    public static JsonNode? Load(string name) => Cache.GetOrAdd(name, static n =>
    {
        var actual = Assembly.GetManifestResourceNames().FirstOrDefault(r => r.Replace('\\', '/') == n);
        if (actual is null) return null;
        using var stream = Assembly.GetManifestResourceStream(actual)!;
        return JsonNode.Parse(stream);
    });
}
