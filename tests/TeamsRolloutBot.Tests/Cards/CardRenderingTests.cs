using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using TeamsRolloutBot.Cards;

namespace TeamsRolloutBot.Tests.Cards;

/// <summary>Every card the sample plan and the bot produce, in nl and en: schema-valid, fully bound, small, accessible.</summary>
public sealed partial class CardRenderingTests
{
    internal static JsonSchema Schema => AdaptiveCardSchema.Schema;

    public static TheoryData<string> CaseNames() => [.. SamplePlan.AllCases.Select(c => c.ToString())];

    private static JsonObject Render(string caseName)
    {
        var c = SamplePlan.AllCases.Single(x => x.ToString() == caseName);
        return CardRenderer.Render(c.TemplateId, c.Data, c.Language);
    }

    [Fact]
    public void The_sample_plan_yields_cards_for_every_message_and_every_template_in_both_languages()
    {
        var templates = SamplePlan.AllCases.Select(c => (c.TemplateId, c.Language)).Distinct().ToList();
        foreach (var id in CardTemplateIds.All)
        {
            Assert.Contains((id, "nl"), templates);
            Assert.Contains((id, "en"), templates);
        }
        Assert.True(SamplePlan.AllCases.Count >= 80, $"only {SamplePlan.AllCases.Count} cases");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Card_is_valid_against_the_official_Adaptive_Card_1_5_schema(string caseName)
    {
        var card = Render(caseName);

        var result = Schema.Evaluate(JsonDocument.Parse(card.ToJsonString()).RootElement,
            new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });

        Assert.True(result.IsValid, "schema errors:\n" + string.Join("\n", (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .Take(15)
            .Select(d => $"{d.InstanceLocation} ({d.EvaluationPath}): {string.Join("; ", d.Errors!.Values)}")));
        Assert.Equal("1.5", (string?)card["version"]);
    }

    [Theory]
    [InlineData("""{"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","text":"x","colour":"Good"}]}""")]
    [InlineData("""{"type":"AdaptiveCard","version":"1.5","body":[{"type":"Input.Toggle","id":"c","title":"t","value":true}]}""")]
    [InlineData("""{"type":"AdaptiveCard","version":"1.5","msteams":{"width":"Full"},"body":[]}""")]
    [InlineData("""{"type":"AdaptiveCard","version":"1.5","actions":[{"type":"Action.OpenUrl","title":"x"}]}""")]
    public void The_schema_check_rejects_broken_cards(string card)
    {
        Assert.False(Schema.Evaluate(JsonDocument.Parse(card).RootElement, new EvaluationOptions { RequireFormatValidation = true }).IsValid);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Card_is_fully_bound_and_fits_in_a_Teams_message(string caseName)
    {
        var json = Render(caseName).ToJsonString();

        Assert.DoesNotContain("${", json, StringComparison.Ordinal);
        Assert.DoesNotMatch(LeftoverPlaceholder(), json);
        Assert.True(Encoding.UTF8.GetByteCount(json) <= 28 * 1024, $"{caseName} is {Encoding.UTF8.GetByteCount(json)} bytes");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Card_has_no_blank_texts_facts_or_buttons(string caseName)
    {
        var blanks = new List<string>();
        FindBlanks(Render(caseName), "$", blanks);
        Assert.True(blanks.Count == 0, string.Join("\n", blanks));
    }

    /// <summary>Teams cuts a button title after about 28 characters on the desktop client (fewer on phones) and shows "…".</summary>
    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Button_titles_fit_on_a_Teams_button(string caseName)
    {
        var tooLong = Objects(Render(caseName))
            .Where(o => ((string?)o["type"])?.StartsWith("Action.", StringComparison.Ordinal) == true)
            .Select(o => (string?)o["title"] ?? "")
            .Where(title => title.Length > MaxButtonTitle)
            .ToList();
        Assert.True(tooLong.Count == 0, $"{caseName}: button titles over {MaxButtonTitle} characters: {string.Join(" | ", tooLong)}");
    }

    private const int MaxButtonTitle = 28;

    private static IEnumerable<JsonObject> Objects(JsonNode? node) => CardJson.Objects(node);

    private static void FindBlanks(JsonNode? node, string path, List<string> blanks)
    {
        if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++) FindBlanks(array[i], $"{path}[{i}]", blanks);
        }
        else if (node is JsonObject obj)
        {
            var type = (string?)obj["type"];
            string[] required = type switch
            {
                "TextBlock" => ["text"],
                "Action.OpenUrl" => ["title", "url"],
                "Action.Submit" or "Action.ToggleVisibility" => ["title"],
                null when obj.ContainsKey("title") && obj.ContainsKey("value") && !path.EndsWith("choices", StringComparison.Ordinal) => ["title", "value"],
                _ => [],
            };
            foreach (var key in required)
            {
                if (string.IsNullOrWhiteSpace((string?)obj[key])) blanks.Add($"{path}.{key} is blank");
            }
            foreach (var (key, value) in obj) FindBlanks(value, $"{path}.{key}", blanks);
        }
    }

    [GeneratedRegex(@"\{(rollout|wave|department|contactName|contactEmail|platform|percent|rate|deadline|updatedAt)\}")]
    private static partial Regex LeftoverPlaceholder();

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Card_is_accessible(string caseName)
    {
        var card = Render(caseName);
        var problems = new List<string>();
        Walk(card, "$", null, problems);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Images need altText, inputs a label, actions a title; a coloured text must say what it means.</summary>
    private static void Walk(JsonNode? node, string path, JsonObject? columnSet, List<string> problems)
    {
        switch (node)
        {
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) Walk(array[i], $"{path}[{i}]", columnSet, problems);
                break;
            case JsonObject obj:
                var type = (string?)obj["type"] ?? "";
                if (type == "Image" && string.IsNullOrWhiteSpace((string?)obj["altText"])) problems.Add($"{path}: Image without altText");
                if (type.StartsWith("Input.", StringComparison.Ordinal) && string.IsNullOrWhiteSpace((string?)obj["label"]))
                    problems.Add($"{path}: {type} without label");
                if (type.StartsWith("Action.", StringComparison.Ordinal) && path.Contains("refresh", StringComparison.Ordinal) is false
                    && string.IsNullOrWhiteSpace((string?)obj["title"]))
                    problems.Add($"{path}: {type} without title");
                if (type == "TextBlock" && (string?)obj["color"] is "Good" or "Warning" or "Attention")
                {
                    var text = (string?)obj["text"] ?? "";
                    var labelled = text.Any(char.IsLetter) || (columnSet is not null && TextsOf(columnSet).Any(t => t.Any(char.IsLetter)));
                    if (!labelled) problems.Add($"{path}: coloured text '{text}' has no words saying what the colour means");
                }
                foreach (var (key, value) in obj) Walk(value, $"{path}.{key}", type == "ColumnSet" ? obj : columnSet, problems);
                break;
        }
    }

    private static IEnumerable<string> TextsOf(JsonNode? node) => node switch
    {
        JsonObject o when (string?)o["type"] == "TextBlock" && o["color"] is null => [(string?)o["text"] ?? ""],
        JsonObject o => o.SelectMany(p => TextsOf(p.Value)),
        JsonArray a => a.SelectMany(TextsOf),
        _ => [],
    };

    [Fact]
    public void Accessibility_check_catches_a_missing_label_and_a_bare_coloured_number()
    {
        var card = JsonNode.Parse("""
            {"type":"AdaptiveCard","body":[
              {"type":"Input.Text","id":"x"},
              {"type":"Image","url":"https://contoso.example/a.png"},
              {"type":"TextBlock","text":"3","color":"Attention"}]}
            """);
        var problems = new List<string>();
        Walk(card, "$", null, problems);
        Assert.Equal(3, problems.Count);
    }

    [Theory]
    [InlineData("nl", "en")]
    [InlineData("en", "nl")]
    public void A_card_shows_no_text_of_the_other_language(string language, string other)
    {
        var own = Leaves(CardStrings.All(language)).ToHashSet();
        var foreign = Leaves(CardStrings.All(other)).Where(t => !own.Contains(t) && t.Length > 12).ToList();
        foreach (var c in SamplePlan.AllCases.Where(c => c.Language == language))
        {
            var json = CardRenderer.Render(c.TemplateId, c.Data, c.Language).ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            var leaked = foreign.Where(f => !f.Contains('{', StringComparison.Ordinal) && json.Contains(f, StringComparison.Ordinal)).ToList();
            Assert.True(leaked.Count == 0, $"{c}: {string.Join(" | ", leaked)}");
        }
    }

    private static IEnumerable<string> Leaves(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Leaves(p.Value)),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };
}
