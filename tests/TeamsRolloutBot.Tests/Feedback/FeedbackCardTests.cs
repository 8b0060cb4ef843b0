using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Feedback;

namespace TeamsRolloutBot.Tests.Feedback;

/// <summary>The cards the feedback feature makes (survey with errors, thank-you, summary, reminder) are valid Teams cards.</summary>
public sealed class FeedbackCardTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<Dictionary<string, JsonObject>> CardsAsync()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);
        var cards = new Dictionary<string, JsonObject>();
        foreach (var lang in new[] { "en", "nl" })
        {
            var locale = lang == "nl" ? "nl-NL" : "en-US";
            cards[$"errors.{lang}"] = await bot.SubmitAsync(1, new JsonObject { ["rating"] = "9", ["problems"] = "x", ["comment"] = new string('c', 1001) }, locale: locale);
            cards[$"thanks.{lang}"] = await bot.SubmitAsync(2, FeedbackBot.Answer(problems: "signin,other", comment: "All fine", consent: "true"), locale: locale);
            cards[$"summary.{lang}"] = await bot.Services.GetRequiredService<FeedbackSummaryService>().BuildAsync(FeedbackBot.WaveId, null, lang, Ct);
            cards[$"empty-summary.{lang}"] = await bot.Services.GetRequiredService<FeedbackSummaryService>().BuildAsync("no-such-wave", null, lang, Ct);
        }
        return cards;
    }

    [Fact]
    public async Task Feedback_cards_are_bound_version_1_5_and_small()
    {
        foreach (var (name, card) in await CardsAsync())
        {
            var json = card.ToJsonString();
            Assert.DoesNotContain("${", json, StringComparison.Ordinal);
            Assert.Equal("1.5", (string?)card["version"]);
            Assert.True(Encoding.UTF8.GetByteCount(json) <= 28 * 1024, $"{name}: {Encoding.UTF8.GetByteCount(json)} bytes");
            Assert.DoesNotContain(VisibleTexts(card), t => string.IsNullOrWhiteSpace(t));
        }
    }

    /// <summary>TextBlock texts and fact titles and values: what a reader sees as text.</summary>
    private static IEnumerable<string?> VisibleTexts(JsonNode? node) => node switch
    {
        JsonObject o when (string?)o["type"] == "TextBlock" => [(string?)o["text"]],
        JsonObject o when o["title"] is JsonValue && o["value"] is JsonValue && o["type"] is null => [(string?)o["title"], (string?)o["value"]],
        JsonObject o => o.SelectMany(p => VisibleTexts(p.Value)),
        JsonArray a => a.SelectMany(VisibleTexts),
        _ => [],
    };

    [Fact]
    public async Task Feedback_cards_are_valid_against_the_official_Adaptive_Card_1_5_schema()
    {
        var schema = Cards.AdaptiveCardSchema.Schema;
        foreach (var (name, card) in await CardsAsync())
        {
            var result = schema.Evaluate(JsonDocument.Parse(card.ToJsonString()).RootElement,
                new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
            Assert.True(result.IsValid, $"{name}: " + string.Join("\n", (result.Details ?? [])
                .Where(d => d.Errors is { Count: > 0 }).Take(10)
                .Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Values)}")));
        }
    }

    [Fact]
    public void Bad_feedback_settings_are_refused_with_the_key_named()
    {
        var validator = new FeedbackOptionsValidator();
        string Fail(FeedbackOptions o) => string.Join("\n", validator.Validate(null, o).Failures ?? []);

        Assert.Contains("Feedback:SharePointListId", Fail(new FeedbackOptions { SharePointSiteId = "site" }));
        Assert.Contains("Feedback:CommentMaxLength", Fail(new FeedbackOptions { CommentMaxLength = 5000 }));
        Assert.Contains("Feedback:ReminderAfterDays", Fail(new FeedbackOptions { ReminderAfterDays = -1 }));
        Assert.True(validator.Validate(null, new FeedbackOptions()).Succeeded);
    }

    [Fact]
    public async Task The_bot_does_not_start_with_half_a_SharePoint_configuration()
    {
        var (exitCode, output) = await Infrastructure.BotProcess.StartExpectingRefusalAsync(new Dictionary<string, string?>
        {
            ["Feedback__SharePointSiteId"] = SharePointListRoutes.SiteId,
        });

        Assert.Equal(2, exitCode);
        Assert.Contains("Feedback:SharePointSiteId and Feedback:SharePointListId must be set together", output, StringComparison.Ordinal);
    }
}
