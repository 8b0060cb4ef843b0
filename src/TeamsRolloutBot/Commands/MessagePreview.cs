using System.Text.Json.Nodes;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Commands;

/// <summary>The card a plan message becomes (Cards templates), shown inside <c>preview</c>'s card and the confirmation card.</summary>
public sealed class MessagePreview
{
    /// <summary>
    /// Renders <paramref name="message"/> as the members of <paramref name="wave"/> would get it (its first department
    /// when none is given), made inert (<see cref="CardPreview.Inert"/>) to sit inside another card: a click in it does
    /// nothing. Throws <see cref="CardTemplateException"/> or <see cref="ArgumentException"/> when the card cannot be built.
    /// </summary>
    public JsonObject Render(RolloutPlan plan, PlanMessage message, Wave? wave, Department? department, string language)
    {
        var data = PlanCards.Find(plan, message.Id, wave?.Id, department?.Id)?.Data
            ?? PlanCards.Find(plan, message.Id)?.Data
            ?? PlanCards.Base(plan) with { MessageId = message.Id, Phase = PlanCards.PhaseName(message.Phase), Parameters = message.Parameters.DeepClone() };
        return CardPreview.Inert(CardRenderer.Render(message.Template, data.ToJson(), language));
    }
}
