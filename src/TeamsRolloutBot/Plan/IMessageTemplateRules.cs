using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace TeamsRolloutBot.Plan;

/// <summary>
/// What the card templates make of a plan message: which templates a plan may name, which texts they show and how
/// each template's <c>parameters:</c> are checked. The plan owns this contract; <c>Cards/</c> implements it, so the
/// dependency runs from Cards to Plan only.
/// </summary>
public interface IMessageTemplateRules
{
    /// <summary>The templates a plan message may name in its <c>template</c> field.</summary>
    IReadOnlyList<string> PlanUsable { get; }

    /// <summary>Templates the bot sends on its own; a plan naming one gets its own error.</summary>
    IReadOnlyList<string> BotInternal { get; }

    /// <summary>The message <c>texts:</c> every plan template shows; any other text is a warning naming it.</summary>
    IReadOnlyList<string> Texts { get; }

    /// <summary>Checks parameter <paramref name="key"/> of <paramref name="parameters"/> for a message using <paramref name="templateId"/>.</summary>
    void CheckParameter(string templateId, PlanFields parameters, string key, PlanNodeReader reader);

    /// <summary>Reports the parameters <paramref name="templateId"/> cannot do without; <paramref name="at"/> is where to point.</summary>
    void CheckRequired(string templateId, JsonObject parameters, YamlNode at, string path, PlanNodeReader reader);
}
