namespace TeamsRolloutBot.Plan;

/// <summary>The phase of the rollout a plan message belongs to (plan field <c>phase</c>).</summary>
public enum MessagePhase
{
    Introduction,
    PreEnrollment,
    Enrollment,
    PostEnrollment,
    Reminder,
}
