namespace TeamsRolloutBot.Plan;

public enum PlanSeverity
{
    Error,
    Warning,
}
