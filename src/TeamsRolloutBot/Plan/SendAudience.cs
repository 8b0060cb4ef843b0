namespace TeamsRolloutBot.Plan;

/// <summary>One concrete delivery route of a scheduled send (<see cref="MessageAudience.Both"/> expands to two).</summary>
public enum SendAudience
{
    Channel,
    Members,
    Email,
}
