using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TeamsRolloutBot.Cards;

namespace TeamsRolloutBot.Tests.Cards;

/// <summary>
/// Finds text of the other language's strings file in what the bot showed: a sentence (three or more words between
/// placeholders, code spans and sentence ends) of en.json in Dutch output, or of nl.json in English output, that the
/// output language's own file does not contain too.
/// </summary>
internal static partial class LanguageLeaks
{
    private static readonly Dictionary<string, IReadOnlyList<string>> Foreign = new(StringComparer.Ordinal);

    /// <summary>The other language's sentences found in <paramref name="output"/>, which should be all <paramref name="language"/>.</summary>
    public static IReadOnlyList<string> In(string language, string output)
    {
        var sentences = SentencesForeignTo(language);
        return [.. sentences.Where(s => output.Contains(s, StringComparison.OrdinalIgnoreCase))];
    }

    /// <summary>Fails with every leaked sentence and where it came from.</summary>
    public static void AssertNone(string language, IEnumerable<(string Where, string Text)> outputs)
    {
        var found = outputs
            .SelectMany(o => In(language, o.Text).Select(s => $"{o.Where}: \"{s}\""))
            .Distinct()
            .ToList();
        Assert.True(found.Count == 0, $"{language} output contains {found.Count} text(s) of the other language's strings file:\n" + string.Join("\n", found));
    }

    /// <summary>Every string a person can read in a JSON activity, card or invoke response (all string values, one per line).</summary>
    public static string Readable(JsonNode? node) => string.Join("\n", Strings(node));

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    internal static IReadOnlyList<string> SentencesForeignTo(string language)
    {
        lock (Foreign)
        {
            if (Foreign.TryGetValue(language, out var cached))
            {
                return cached;
            }
            var own = Values(CardStrings.All(language)).ToList();
            var other = CardStrings.Languages.Where(l => l != language).SelectMany(l => Values(CardStrings.All(l)));
            var sentences = other
                .SelectMany(text => Separator().Split(text))
                .Select(s => s.Trim(' ', ',', ';', ':', '.', '!', '?', '(', ')', '"', '\'', '“', '”', '-', '…', '*'))
                .Where(s => Word().Count(s) >= 3)
                .Where(s => !own.Any(o => o.Contains(s, StringComparison.OrdinalIgnoreCase)))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
            Foreign[language] = sentences;
            return sentences;
        }
    }

    private static IEnumerable<string> Values(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Values(p.Value)),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    // Placeholders ({name}, {0}), code spans, bold markers, line breaks and sentence ends split a text into the sentences looked for.
    [GeneratedRegex(@"\{[A-Za-z0-9]+\}|`[^`]*`|\*\*|\n|(?<=[.!?])\s+")]
    private static partial Regex Separator();

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Word();
}
