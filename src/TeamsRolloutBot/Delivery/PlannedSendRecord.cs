namespace TeamsRolloutBot.Delivery;

/// <summary>
/// A planned send as the store keeps it. <see cref="Content"/> is the message as its first recipient got it (JSON,
/// see <see cref="DeliveryContent"/>), null until then: the rest of the fan-out is rendered from it.
/// </summary>
public sealed record PlannedSendRecord(PlannedSend Send, PlannedSendState State, int JobCount, string? Detail, DateTimeOffset? ReportedAt, string? Content = null);
