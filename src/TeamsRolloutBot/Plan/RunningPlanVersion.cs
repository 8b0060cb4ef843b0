namespace TeamsRolloutBot.Plan;

/// <summary>
/// The running plan's version: its published number (null while it could not be stored), the SHA-256 of its text,
/// where it came from, and since when it runs.
/// </summary>
public sealed record RunningPlanVersion(int? Version, string Hash, PlanSource Source, DateTimeOffset Since);
