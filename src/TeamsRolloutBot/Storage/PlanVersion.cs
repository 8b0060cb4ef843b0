namespace TeamsRolloutBot.Storage;

/// <summary>One plan load by one instance: which plan file content (SHA-256 of the file), when, and how many waves.</summary>
public sealed record PlanVersion(string Hash, string Instance, DateTimeOffset LoadedAt, string? PlanName, int WaveCount);
