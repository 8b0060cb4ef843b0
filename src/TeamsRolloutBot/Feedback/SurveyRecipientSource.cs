namespace TeamsRolloutBot.Feedback;

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
