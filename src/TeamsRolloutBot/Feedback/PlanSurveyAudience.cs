using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Feedback;

/// <summary>Survey recipients from the plan: an explicit member list gives names; otherwise the expected size gives a count.</summary>
public sealed class PlanSurveyAudience(PlanProvider plans) : ISurveyAudience
{
    public Task<SurveyRecipients> GetRecipientsAsync(string waveId, string departmentId, CancellationToken cancellationToken)
    {
        var department = plans.Current?.FindDepartment(departmentId);
        if (department?.Members?.Users is { Count: > 0 } users)
        {
            var distinct = users.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            return Task.FromResult(new SurveyRecipients(distinct.Count, distinct, SurveyRecipientSource.PlanMembers));
        }
        return Task.FromResult(department?.ExpectedSize is { } size
            ? new SurveyRecipients(size, null, SurveyRecipientSource.PlanExpectedSize)
            : new SurveyRecipients(null, null, SurveyRecipientSource.Unknown));
    }
}
