using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TeamsRolloutBot.Cards;

namespace TeamsRolloutBot.Tests.Cards;

public sealed partial class CardStringsTests
{
    private static Dictionary<string, string> Flatten(JsonNode? node, string prefix = "")
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject o)
        {
            foreach (var (key, value) in o)
            {
                foreach (var pair in Flatten(value, prefix.Length == 0 ? key : $"{prefix}.{key}")) result.Add(pair.Key, pair.Value);
            }
        }
        else
        {
            result.Add(prefix, node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "");
        }
        return result;
    }

    [Fact]
    public void Both_languages_exist_with_exactly_the_same_keys_and_no_empty_texts()
    {
        Assert.Equal(["en", "nl"], CardStrings.Languages);
        var en = Flatten(CardStrings.All("en"));
        var nl = Flatten(CardStrings.All("nl"));

        Assert.Equal(en.Keys.Order(StringComparer.Ordinal), nl.Keys.Order(StringComparer.Ordinal));
        Assert.All(en.Concat(nl), pair => Assert.False(string.IsNullOrWhiteSpace(pair.Value), $"empty text at {pair.Key}"));
    }

    /// <summary>Teams and the Playground read "&lt;wave&gt;" as an HTML tag: a card drops it, a message shows "&amp;lt;wave&amp;gt;".</summary>
    [Fact]
    public void No_text_holds_an_angle_bracket_placeholder_that_a_client_would_read_as_HTML()
    {
        var tags = Flatten(CardStrings.All("en")).Concat(Flatten(CardStrings.All("nl")))
            .Where(pair => AngleTag().IsMatch(pair.Value)).Select(pair => $"{pair.Key}: {pair.Value}").ToList();
        Assert.True(tags.Count == 0, "texts with <...>: " + string.Join("\n", tags));
    }

    [GeneratedRegex(@"<[^\s<>]+>")]
    private static partial Regex AngleTag();

    [Fact]
    public void Placeholders_match_between_languages()
    {
        var en = Flatten(CardStrings.All("en"));
        var nl = Flatten(CardStrings.All("nl"));
        foreach (var (key, text) in en)
        {
            var expected = Placeholder().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal);
            var actual = Placeholder().Matches(nl[key]).Select(m => m.Value).Order(StringComparer.Ordinal);
            Assert.True(expected.SequenceEqual(actual), $"{key}: en has {string.Join(",", expected)}, nl has {string.Join(",", actual)}");
        }
    }

    [GeneratedRegex(@"\{[a-zA-Z]+\}")]
    private static partial Regex Placeholder();

    [Fact]
    public void Every_text_a_template_names_exists()
    {
        var keys = Flatten(CardStrings.All("en")).Keys.ToHashSet(StringComparer.Ordinal);
        var templates = Directory.GetFiles(Path.Combine(SamplePlan.RepoRoot, "src", "TeamsRolloutBot", "Cards", "Templates"), "*.json");
        Assert.NotEmpty(templates);
        foreach (var file in templates)
        {
            foreach (Match m in StringsReference().Matches(File.ReadAllText(file)))
                Assert.True(keys.Contains(m.Groups[1].Value), $"{Path.GetFileName(file)} uses strings.{m.Groups[1].Value}, which is not in the strings files");
        }
    }

    [GeneratedRegex(@"strings\.([A-Za-z0-9.]+[A-Za-z0-9])")]
    private static partial Regex StringsReference();

    [Fact]
    public void Text_returns_bot_texts_with_values_filled_in_and_fails_on_unknown_keys()
    {
        Assert.Equal("Dat begreep ik niet. Typ **help** om te zien wat ik kan.", CardStrings.Text("nl", "help.unknownCommand"));
        Assert.Equal("Progress: Retail", CardStrings.Text("en", "status.title", new Dictionary<string, string> { ["wave"] = "Retail" }));
        Assert.Throws<KeyNotFoundException>(() => CardStrings.Text("en", "help.noSuchText"));
        Assert.Throws<ArgumentException>(() => CardStrings.Text("de", "help.title"));
    }

    [Theory]
    [InlineData("nl", null, null, null, "nl")]
    [InlineData("nl", null, null, "en-US", "en")]
    [InlineData("nl", null, "en", null, "en")]
    [InlineData("en", null, "nl", "en-GB", "en")]
    [InlineData("nl", null, null, "de-DE", "nl")]
    [InlineData("nl", "nl", null, "en-US", "nl")]
    [InlineData("fr", null, null, null, "en")]
    public void Language_comes_from_the_user_locale_then_the_department_then_the_plan_default(
        string planDefault, string? onlyLanguage, string? department, string? locale, string expected)
    {
        var planLanguages = onlyLanguage is null ? null : new[] { onlyLanguage };
        Assert.Equal(expected, CardLanguage.Resolve(planDefault, planLanguages, department, locale));
    }
}
