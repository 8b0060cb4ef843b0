using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Commands;

namespace TeamsRolloutBot.Tests.Cards;

/// <summary>
/// Every card of the sample plan and the bot, in nl and en, shown inside another card (a preview): the same texts and
/// buttons, but no input a client would validate, no button that reaches the bot, and nothing that blocks or feeds the
/// outer card's own buttons.
/// </summary>
public sealed class CardPreviewTests
{
    public static TheoryData<string> CaseNames() => [.. SamplePlan.AllCases.Select(c => c.ToString())];

    private static JsonObject Render(string caseName)
    {
        var c = SamplePlan.AllCases.Single(x => x.ToString() == caseName);
        return CardRenderer.Render(c.TemplateId, c.Data, c.Language);
    }

    /// <summary>A confirmation-like card: the preview between a title and the bot's own Confirm button.</summary>
    private static JsonObject Outer(JsonObject preview) => CommandCards.Card(
        [CommandCards.Title("Please confirm"), preview],
        [CommandCards.Execute("Confirm", CommandCards.ConfirmVerb, new JsonObject { ["confirmationId"] = "c1" }, "positive")]);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void A_preview_has_no_input_a_client_would_validate_and_every_id_is_its_own(string caseName)
    {
        var card = Render(caseName);
        var preview = CardPreview.Inert(card);

        foreach (var input in Objects(preview).Where(o => Type(o).StartsWith("Input.", StringComparison.Ordinal)))
        {
            Assert.False(input.ContainsKey("isRequired"), $"{input["id"]} is still required");
            Assert.False(input.ContainsKey("errorMessage"), $"{input["id"]} still has an error message");
            Assert.False(input.ContainsKey("regex"), $"{input["id"]} still has a pattern");
        }
        var ids = Objects(preview).Where(o => o["id"] is JsonValue).Select(o => (string)o["id"]!).ToList();
        Assert.All(ids, id => Assert.StartsWith(CardPreview.IdPrefix, id, StringComparison.Ordinal));
        Assert.Equal(Objects(card).Count(o => o["id"] is JsonValue && o["type"] is not null), ids.Count);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void No_button_of_a_preview_acts_but_every_button_is_still_there(string caseName)
    {
        var card = Render(caseName);
        var preview = CardPreview.Inert(card);

        var actions = Objects(preview).Where(o => Type(o).StartsWith("Action.", StringComparison.Ordinal)).ToList();
        foreach (var action in actions)
        {
            if (Type(action) == "Action.OpenUrl")
            {
                continue;
            }
            // A disabled toggle of nothing: no invoke, no message, no visibility change, even where isEnabled is ignored.
            Assert.Equal("Action.ToggleVisibility", Type(action));
            Assert.Equal(false, (bool?)action["isEnabled"]);
            Assert.Empty(action["targetElements"]!.AsArray());
            Assert.Null(action["data"]);
            Assert.Null(action["verb"]);
            Assert.Null(action["fallback"]);
        }
        Assert.DoesNotContain(Objects(preview), o => o["selectAction"] is JsonObject s && Type(s) != "Action.OpenUrl");
        Assert.DoesNotContain(Objects(preview), o => o.ContainsKey("refresh"));

        // The lead sees the same buttons (titles) and the same texts as the recipient.
        Assert.Equal(Titles(card), Titles(preview));
        Assert.Equal(Texts(card), Texts(preview));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void A_preview_inside_a_bot_card_is_valid_Adaptive_Card_1_5_and_the_outer_button_gathers_no_inputs(string caseName)
    {
        var outer = Outer(CardPreview.Inert(Render(caseName)));

        var result = CardRenderingTests.Schema.Evaluate(JsonDocument.Parse(outer.ToJsonString()).RootElement,
            new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        Assert.True(result.IsValid, "schema errors:\n" + string.Join("\n", (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .Take(15)
            .Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Values)}")));

        var confirm = outer["actions"]![0]!.AsObject();
        Assert.Equal("none", (string?)confirm["associatedInputs"]);
        Assert.Equal("none", (string?)confirm["fallback"]!["associatedInputs"]);
    }

    [Theory]
    [InlineData("nl")]
    [InlineData("en")]
    public void The_enrollment_preview_shows_every_platform_open_and_its_platform_buttons_do_nothing(string language)
    {
        var message = PlanCards.AllMessages(SamplePlan.Plan).First(m => m.TemplateId == CardTemplateIds.Enrollment);
        var card = CardRenderer.Render(message.TemplateId, message.Data.ToJson(), language);
        Assert.Contains(Objects(card), o => (bool?)o["isVisible"] == false);

        var preview = CardPreview.Inert(card);

        Assert.DoesNotContain(Objects(preview), o => o.ContainsKey("isVisible"));
        Assert.DoesNotContain(Objects(preview), o => Type(o) == "Action.ToggleVisibility" && o["targetElements"]!.AsArray().Count > 0);
    }

    [Fact]
    public void A_ShowCard_opens_under_its_button_and_its_inputs_are_optional_too()
    {
        var card = JsonNode.Parse("""
            {
              "type": "AdaptiveCard", "version": "1.5",
              "selectAction": { "type": "Action.Submit", "data": { "x": 1 } },
              "body": [
                { "type": "Container", "selectAction": { "type": "Action.Execute", "verb": "v" }, "items": [ { "type": "TextBlock", "text": "tap me" } ] },
                { "type": "ActionSet", "actions": [
                  { "type": "Action.ShowCard", "title": "More", "card": { "type": "AdaptiveCard", "body": [
                    { "type": "Input.Number", "id": "n", "label": "Number", "isRequired": true, "min": 1, "max": 3, "errorMessage": "1-3" }
                  ], "actions": [ { "type": "Action.Submit", "title": "Send" } ] } }
                ] },
                { "type": "TextBlock", "text": "after" }
              ]
            }
            """)!.AsObject();

        var preview = CardPreview.Inert(card);

        var items = preview["items"]!.AsArray();
        Assert.Equal(["Container", "ActionSet", "Container", "TextBlock"], items.Select(i => Type(i!.AsObject())));
        var number = Objects(items[2]!).Single(o => Type(o) == "Input.Number");
        Assert.Equal("preview.n", (string?)number["id"]);
        Assert.False(number.ContainsKey("isRequired") || number.ContainsKey("min") || number.ContainsKey("max") || number.ContainsKey("errorMessage"));
        Assert.DoesNotContain(Objects(preview), o => o.ContainsKey("selectAction"));
        Assert.Equal(["More", "Send"], Titles(preview));
        Assert.DoesNotContain(Objects(preview), o => Type(o) is "Action.ShowCard" or "Action.Submit" or "Action.Execute");
    }

    private static string Type(JsonObject o) => o["type"] is JsonValue v && v.TryGetValue<string>(out var t) ? t : "";

    /// <summary>Button titles in order (not fallbacks, selectActions or the refresh action: those are not buttons).</summary>
    private static List<string> Titles(JsonNode node) =>
        [.. Objects(node).Where(o => Type(o).StartsWith("Action.", StringComparison.Ordinal) && o.Parent is JsonArray).Select(o => (string?)o["title"] ?? "")];

    private static List<string> Texts(JsonNode node) =>
        [.. Objects(node).Where(o => Type(o) is "TextBlock" or "TextRun").Select(o => (string?)o["text"] ?? "")];

    private static IEnumerable<JsonObject> Objects(JsonNode node) => CardJson.Objects(node);
}
