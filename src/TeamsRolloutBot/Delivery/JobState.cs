namespace TeamsRolloutBot.Delivery;

/// <summary>Where a job stands: waiting (or leased by a dispatcher), or finished one way or another.</summary>
public enum JobState
{
    Queued,
    Delivered,
    Failed,
    Skipped,
}
