namespace TeamsRolloutBot.Delivery;

/// <summary>Where a planned send stands in the scheduler.</summary>
public enum PlannedSendState
{
    Pending,
    Expanded,
    Missed,
}
