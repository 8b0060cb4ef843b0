namespace TeamsRolloutBot.Plan;

/// <summary>Who a plan message is for, as written in the plan.</summary>
public enum MessageAudience
{
    Channel,
    Members,
    Both,
    Email,
}
