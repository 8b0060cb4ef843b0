using System.Text.Json.Nodes;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Feedback;

/// <summary>The surveys of a plan: every wave with a message using the <c>survey</c> template.</summary>
public static class SurveySchedule
{
    public static IReadOnlyList<WaveSurvey> Of(RolloutPlan plan) =>
        [.. ScheduleExpander.Expand(plan)
            .Where(s => s.Message.Template == CardTemplateIds.Survey)
            .GroupBy(s => s.WaveId)
            .Select(g =>
            {
                var first = g.OrderBy(s => s.Utc).First();
                return new WaveSurvey(g.Key, SurveyIdOf(first.Message), first.MessageId, first.Utc,
                    [.. g.Select(s => s.DepartmentId).Distinct()]);
            })
            .OrderBy(w => w.SentAtUtc)];

    /// <summary>The survey id a message's cards carry (<c>parameters.survey</c>), else the message id.</summary>
    public static string SurveyIdOf(PlanMessage message) =>
        message.Parameters["survey"] is JsonValue v && v.TryGetValue<string>(out var id) && id.Length > 0 ? id : message.Id;
}
