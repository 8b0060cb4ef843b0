using System.Text.Json.Nodes;
using TeamsRolloutBot.Cards.Templates;
using TeamsRolloutBot.Plan;
using YamlDotNet.RepresentationModel;

namespace TeamsRolloutBot.Cards;

/// <summary>
/// The card templates' side of plan validation: which templates a plan may name, the texts they show, and each
/// template's parameter schema (<c>Cards/Templates/*Parameters.cs</c>, beside the JSON templates). A parameter a
/// template does not read is a warning naming it and the template.
/// </summary>
public sealed class CardMessageRules : IMessageTemplateRules
{
    private static readonly Dictionary<string, TemplateParameters> Schemas = new[]
    {
        IntroductionParameters.Schema,
        PreEnrollmentParameters.Schema,
        EnrollmentParameters.Schema,
        SurveyParameters.Schema,
        ReminderParameters.Schema,
    }.ToDictionary(s => s.Template, StringComparer.Ordinal);

    private CardMessageRules()
    {
    }

    /// <summary>The one instance; the rules hold no state.</summary>
    public static CardMessageRules Instance { get; } = new();

    public IReadOnlyList<string> PlanUsable => CardTemplateIds.PlanUsable;

    public IReadOnlyList<string> BotInternal => CardTemplateIds.BotInternal;

    /// <summary><c>title</c> on the card, <c>subject</c> as the subject of the message's e-mail.</summary>
    public IReadOnlyList<string> Texts { get; } = ["title", "subject"];

    public void CheckParameter(string templateId, PlanFields parameters, string key, PlanNodeReader reader)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(reader);
        var schema = Schemas[templateId];
        var sub = parameters.Sub(key);
        if (!schema.Checks.TryGetValue(key, out var check))
        {
            var known = schema.Names;
            reader.Warning(PlanNodeReader.KeyLoc(parameters.Node, key), sub, $"the '{templateId}' card does not use parameter '{key}'",
                $"{Suggest.DidYouMean(key, known)}the '{templateId}' card reads {PlanNodeReader.Join(known)}");
            return;
        }

        check(new ParameterChecks(reader), parameters[key]!, sub, templateId);
    }

    public void CheckRequired(string templateId, JsonObject parameters, YamlNode at, string path, PlanNodeReader reader)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(reader);
        foreach (var required in Schemas[templateId].Required.Where(r => !parameters.ContainsKey(r.Name)))
        {
            reader.Error(at, path, required.Message, required.Fix);
        }
    }
}
