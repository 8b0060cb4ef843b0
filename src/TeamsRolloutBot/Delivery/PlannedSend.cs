using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Delivery;

/// <summary>
/// One concrete send of the plan: a message of a wave for one department and audience, due at one UTC instant.
/// <see cref="Key"/> is stable across restarts and plan reloads (wave, message, department, audience).
/// </summary>
public sealed record PlannedSend(
    string Key,
    string WaveId,
    string MessageId,
    string DepartmentId,
    SendAudience Audience,
    DateTimeOffset DueUtc,
    string Template,
    string Phase = "",
    string? Subject = null);
