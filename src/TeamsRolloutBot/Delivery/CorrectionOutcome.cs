namespace TeamsRolloutBot.Delivery;

/// <summary>Where a sent card stands after the leads' corrections (<c>update</c>, <c>retract</c>).</summary>
public enum CorrectionOutcome
{
    /// <summary>Sent as the plan said then; never corrected.</summary>
    Sent,
    /// <summary>Replaced in place with the current plan's card.</summary>
    Updated,
    /// <summary>Deleted in place (retracted).</summary>
    Retracted,
    /// <summary>The connector answered 404: the post or chat no longer exists.</summary>
    Gone,
    /// <summary>The connector answered 403: the user blocked the bot or it lost access.</summary>
    Blocked,
    /// <summary>Any other refusal; the card that was sent is still there.</summary>
    Failed,
}
