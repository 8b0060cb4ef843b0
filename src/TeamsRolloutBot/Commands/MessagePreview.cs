using System.Text.Json.Nodes;
using TeamsRolloutBot.Conversations;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Commands;

/// <summary>
/// The card a plan message becomes, for <c>preview</c> and the confirmation card. The one place that renders plan
/// messages for the commands: it switches to the card templates (issue 5, <c>Cards/CardRenderer</c>) when they are merged.
/// Until then it shows a simplified card with the message's settings and texts, and says so.
/// </summary>
public sealed class MessagePreview(BotTexts texts)
{
    public JsonObject Render(RolloutPlan plan, PlanMessage message, Wave? wave, Department? department, string language)
    {
        var body = new List<JsonNode>
        {
            CommandCards.Title(texts.Format(language, "preview.title", message.Id)),
            CommandCards.Facts(
            [
                (texts.Get(language, "preview.fact.template"), message.Template),
                (texts.Get(language, "preview.fact.phase"), message.Phase.ToString()),
                (texts.Get(language, "preview.fact.when"), $"{message.OffsetText} {message.Time:HH\\:mm}"),
                (texts.Get(language, "preview.fact.audience"), message.Audience.ToString().ToLowerInvariant()),
                (texts.Get(language, "preview.fact.wave"), wave is null ? "—" : wave.Name.Get(language, plan.DefaultLanguage)),
                (texts.Get(language, "preview.fact.department"), department is null ? "—" : department.Name.Get(language, plan.DefaultLanguage)),
            ]),
        };
        foreach (var (key, text) in message.Texts)
        {
            body.Add(CommandCards.Heading(key));
            body.Add(CommandCards.Text(text.Get(language, plan.DefaultLanguage)));
        }
        if (message.Parameters.Count > 0)
        {
            body.Add(CommandCards.Heading(texts.Get(language, "preview.parameters")));
            body.Add(CommandCards.Text(string.Join("\n", message.Parameters.Select(p => $"- {p.Key}: {Short(p.Value, language, plan.DefaultLanguage)}"))));
        }
        body.Add(CommandCards.Text(texts.Get(language, "preview.simplified"), subtle: true));
        return CommandCards.Card(body);
    }

    private static string Short(JsonNode? value, string language, string fallback)
    {
        var text = value switch
        {
            JsonObject o when o.ContainsKey(language) => o[language]?.ToString() ?? "",
            JsonObject o when o.ContainsKey(fallback) => o[fallback]?.ToString() ?? "",
            null => "",
            _ => value.ToJsonString(),
        };
        return text.Length <= 120 ? text : text[..120] + "…";
    }
}
