using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Feedback;

/// <summary>
/// Who received a wave's survey in one department: the people (Entra object ids) when known, and how many.
/// <see cref="Source"/> says where the figure comes from, so a summary can say how exact it is.
/// </summary>
public sealed record SurveyRecipients(int? Count, IReadOnlyList<string>? UserIds, SurveyRecipientSource Source);

/// <summary>Where a recipient figure comes from.</summary>
public enum SurveyRecipientSource
{
    /// <summary>Nothing known: no member list, no expected size, no delivery record.</summary>
    Unknown,
    /// <summary>The department's <c>expectedSize</c> in the plan: a count, no names.</summary>
    PlanExpectedSize,
    /// <summary>The department's explicit <c>members.users</c> list in the plan.</summary>
    PlanMembers,
    /// <summary>The delivery records: people the survey card was delivered to.</summary>
    Delivered,
}

/// <summary>
/// The denominator of response rates and the list reminders go to. Two implementations: <see cref="PlanSurveyAudience"/>
/// (the plan's member lists and expected sizes) now, and the delivery outbox (people the survey was delivered to) when
/// delivery registers its own.
/// </summary>
public interface ISurveyAudience
{
    /// <summary>The recipients of the survey of <paramref name="waveId"/> in <paramref name="departmentId"/>.</summary>
    Task<SurveyRecipients> GetRecipientsAsync(string waveId, string departmentId, CancellationToken cancellationToken);
}

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
