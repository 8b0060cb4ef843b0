namespace TeamsRolloutBot.Delivery;

/// <summary>A planned send as the store keeps it.</summary>
public sealed record PlannedSendRecord(PlannedSend Send, PlannedSendState State, int JobCount, string? Detail, DateTimeOffset? ReportedAt);
