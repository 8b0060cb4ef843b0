namespace TeamsRolloutBot.Plan;

/// <summary>Where a plan element starts in its YAML file (1-based).</summary>
public readonly record struct SourceLocation(int Line, int Column);
