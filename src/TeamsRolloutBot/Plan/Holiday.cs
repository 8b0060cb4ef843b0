namespace TeamsRolloutBot.Plan;

/// <summary>A day off (plan field <c>holidays</c>), with its name when the plan gives one.</summary>
public sealed record Holiday(DateOnly Date, string? Name);
