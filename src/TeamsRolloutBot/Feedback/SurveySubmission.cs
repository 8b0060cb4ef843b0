using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Feedback;

/// <summary>A parsed submission: the valid answer, or the errors and the values as sent (to show the card again with them).</summary>
public sealed record SurveySubmission(SurveyAnswer? Answer, IReadOnlyList<SurveyFieldError> Errors, JsonObject Values)
{
    public bool IsValid => Answer is not null && Errors.Count == 0;
}
