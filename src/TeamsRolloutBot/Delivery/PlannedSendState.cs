namespace TeamsRolloutBot.Delivery;

/// <summary>Where a planned send stands in the scheduler.</summary>
public enum PlannedSendState
{
    Pending,
    Expanded,
    Missed,
    /// <summary>Its message, wave or department was removed from the plan before it finished: not sent (further).</summary>
    Cancelled,
}
