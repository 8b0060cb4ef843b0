using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Cards;

/// <summary>
/// The card and bot texts in every supported language, from the embedded Cards/Strings/{lang}.json files.
/// Keys are dotted paths into those files, e.g. "help.unknownCommand". Other features add their bot texts there.
/// </summary>
public static class CardStrings
{
    /// <summary>The languages that have a strings file, in a stable order.</summary>
    public static IReadOnlyList<string> Languages { get; } =
    [
        .. CardResources.Names
            .Where(n => n.StartsWith("Cards/Strings/", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Select(n => n["Cards/Strings/".Length..^".json".Length])
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>Whether texts exist for <paramref name="language"/> (a two-letter code such as "nl").</summary>
    public static bool IsSupported(string? language) =>
        language is not null && Languages.Contains(language, StringComparer.OrdinalIgnoreCase);

    /// <summary>A copy of every text in <paramref name="language"/>, as nested objects.</summary>
    public static JsonObject All(string language) =>
        (JsonObject)(CardResources.Load($"Cards/Strings/{Normalize(language)}.json")
            ?? throw new ArgumentException($"No texts for language '{language}'; supported: {string.Join(", ", Languages)}.", nameof(language)))
        .DeepClone();

    /// <summary>
    /// The text at <paramref name="key"/> in <paramref name="language"/>, with {name} placeholders replaced from
    /// <paramref name="values"/>. Throws when the key does not exist, so a typo fails in tests, not in Teams.
    /// </summary>
    public static string Text(string language, string key, IReadOnlyDictionary<string, string>? values = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        JsonNode? node = CardResources.Load($"Cards/Strings/{Normalize(language)}.json")
            ?? throw new ArgumentException($"No texts for language '{language}'.", nameof(language));
        foreach (var part in key.Split('.'))
            node = node is JsonObject o && o.TryGetPropertyValue(part, out var next) ? next : null;
        if (node is not JsonValue v || !v.TryGetValue<string>(out var text))
            throw new KeyNotFoundException($"No text '{key}' in Cards/Strings/{language}.json.");
        return values is null ? text : Fill(text, values);
    }

    /// <summary>Replaces {name} placeholders whose name is in <paramref name="values"/>; others stay as they are.</summary>
    public static string Fill(string text, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(values);
        if (!text.Contains('{', StringComparison.Ordinal)) return text;
        foreach (var (name, value) in values)
            text = text.Replace("{" + name + "}", value, StringComparison.Ordinal);
        return text;
    }

    internal static string Normalize(string language) => language.ToLowerInvariant();
}
