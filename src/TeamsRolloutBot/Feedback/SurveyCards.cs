using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Feedback;

/// <summary>
/// The survey cards as the feedback feature answers them: the survey (with the user's values and the server's error
/// texts when a submission was refused), the per-user thank-you card, and the card data of a survey placement taken
/// from the current plan.
/// </summary>
public sealed class SurveyCards(PlanProvider plans, IOptions<FeedbackOptions> options)
{
    /// <summary>Teams gives automatic refresh to at most 60 users listed in <c>refresh.userIds</c>.</summary>
    public const int MaxRefreshUserIds = 60;

    /// <summary>The language of a card for one person: their Teams locale when the plan offers it, else the plan default.</summary>
    public string LanguageFor(string? userLocale)
    {
        var plan = plans.Current;
        return CardLanguage.Resolve(plan?.DefaultLanguage ?? "en", plan?.Languages, null, userLocale);
    }

    /// <summary>The language of a card in a department's channel: the department's language, else the plan default.</summary>
    public string ChannelLanguageFor(string? departmentId)
    {
        var plan = plans.Current;
        return CardLanguage.Resolve(plan?.DefaultLanguage ?? "en", plan?.Languages, plan?.LanguageOf(departmentId));
    }

    /// <summary>The survey card. <paramref name="errors"/> are shown under their inputs and in one line above the questions.</summary>
    public JsonObject Survey(SurveyPlacement placement, JsonObject? values, IReadOnlyList<string> refreshUserIds, IReadOnlyList<SurveyFieldError>? errors, string language)
    {
        var data = Data(placement) with
        {
            Answers = values,
            RecipientUserIds = [.. refreshUserIds.Take(MaxRefreshUserIds)],
        };
        var card = CardRenderer.Render(CardTemplateIds.Survey, data.ToJson(), language);
        ApplyCommentLimit(card, options.Value.CommentMaxLength);
        if (errors is { Count: > 0 })
        {
            ShowErrors(card, errors, language);
        }
        return card;
    }

    /// <summary>The thank-you card with the user's answers and a "change my answers" button.</summary>
    public JsonObject Thanks(SurveyPlacement placement, SurveyAnswer answer, IReadOnlyList<string> refreshUserIds, string language)
    {
        var data = Data(placement) with
        {
            Answers = answer.ToCardValues(),
            RecipientUserIds = [.. refreshUserIds.Take(MaxRefreshUserIds)],
        };
        return CardRenderer.Render(CardTemplateIds.SurveyThanks, data.ToJson(), language);
    }

    /// <summary>The text of an error for one field in <paramref name="language"/>.</summary>
    public static string ErrorText(SurveyFieldError error, string language)
    {
        var values = new Dictionary<string, string>(error.Values) { ["field"] = CardStrings.Text(language, $"feedback.fields.{error.Field}") };
        return CardStrings.Text(language, $"feedback.errors.{error.TextKey}", values);
    }

    /// <summary>The card data of a survey placement: the plan's message in that wave and department when it still exists.</summary>
    public CardData Data(SurveyPlacement placement)
    {
        var plan = plans.Current;
        CardData data;
        if (plan is null)
        {
            data = new CardData { RolloutName = "", WaveId = placement.WaveId, DepartmentId = placement.DepartmentId, MessageId = placement.MessageId };
        }
        else
        {
            var message = placement.MessageId is null ? null : PlanCards.Find(plan, placement.MessageId, placement.WaveId, placement.DepartmentId);
            data = message?.Data ?? PlanCards.Base(plan) with
            {
                WaveId = placement.WaveId,
                WaveName = placement.WaveId is { } w && plan.FindWave(w) is { } wave ? PlanCards.Localized(wave.Name) : null,
                DepartmentId = placement.DepartmentId,
                DepartmentName = placement.DepartmentId is { } d && plan.FindDepartment(d) is { } department ? PlanCards.Localized(department.Name) : null,
                MessageId = placement.MessageId,
            };
        }
        var parameters = data.Parameters?.DeepClone() as JsonObject ?? new JsonObject();
        parameters["survey"] = placement.SurveyId;
        return data with { Parameters = parameters };
    }

    private static void ApplyCommentLimit(JsonObject card, int max)
    {
        if (FindInput(card["body"], "comment") is not { } comment)
        {
            return;
        }
        comment["maxLength"] = max;
        var number = max.ToString(CultureInfo.InvariantCulture);
        foreach (var key in new[] { "placeholder", "errorMessage" })
        {
            if (comment[key] is JsonValue v && v.TryGetValue<string>(out var text))
            {
                comment[key] = text.Replace("1000", number, StringComparison.Ordinal);
            }
        }
    }

    private static void ShowErrors(JsonObject card, IReadOnlyList<SurveyFieldError> errors, string language)
    {
        if (card["body"] is not JsonArray body)
        {
            return;
        }
        foreach (var group in errors.GroupBy(e => e.Field))
        {
            if (FindInput(body, group.Key) is not { } input || input.Parent is not JsonArray container)
            {
                continue;
            }
            var index = container.IndexOf(input);
            container.Insert(index + 1, new JsonObject
            {
                ["type"] = "TextBlock",
                ["text"] = "⚠ " + string.Join(" ", group.Select(e => ErrorText(e, language))),
                ["color"] = "Attention",
                ["wrap"] = true,
                ["spacing"] = "None",
            });
        }
        var firstInput = body.Select((node, i) => (node, i)).FirstOrDefault(x => x.node?["type"]?.GetValue<string>()?.StartsWith("Input.", StringComparison.Ordinal) == true);
        body.Insert(firstInput.node is null ? body.Count : firstInput.i, new JsonObject
        {
            ["type"] = "TextBlock",
            ["text"] = "⚠ " + CardStrings.Text(language, "feedback.errors.summary",
                new Dictionary<string, string> { ["count"] = errors.Select(e => e.Field).Distinct().Count().ToString(CultureInfo.InvariantCulture) }),
            ["color"] = "Attention",
            ["weight"] = "Bolder",
            ["wrap"] = true,
        });
    }

    private static JsonObject? FindInput(JsonNode? node, string id) => node switch
    {
        JsonObject o when o["id"] is JsonValue v && v.TryGetValue<string>(out var s) && s == id
            && o["type"]?.GetValue<string>()?.StartsWith("Input.", StringComparison.Ordinal) == true => o,
        JsonObject o => o.Select(p => FindInput(p.Value, id)).FirstOrDefault(f => f is not null),
        JsonArray a => a.Select(i => FindInput(i, id)).FirstOrDefault(f => f is not null),
        _ => null,
    };
}
