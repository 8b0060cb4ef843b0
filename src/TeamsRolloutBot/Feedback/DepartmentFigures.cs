using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Feedback;

/// <summary>One department's response figures. Recipients and non-responders are null when nobody knows how many got the survey.</summary>
public sealed record DepartmentFigures(string DepartmentId, int Responses, int? Recipients, int? NonResponders, SurveyRecipientSource Source)
{
    public double? ResponseRate => Recipients is > 0 ? (double)Responses / Recipients.Value : null;
}
