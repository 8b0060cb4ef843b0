namespace TeamsRolloutBot.Feedback;

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
