namespace TeamsRolloutBot.Storage;

/// <summary>
/// One valid plan kept in the store: version <see cref="Version"/> (1, 2, ... per store), the plan file's text, its
/// SHA-256 (<see cref="PlanVersionRecorder.HashOf(string)"/>), when and by which instance it was published.
/// </summary>
public sealed record PublishedPlan(int Version, string Hash, string Content, DateTimeOffset PublishedAt, string Instance, string? PlanName);
