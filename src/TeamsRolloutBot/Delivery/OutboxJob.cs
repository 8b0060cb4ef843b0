namespace TeamsRolloutBot.Delivery;

/// <summary>A job to put in the outbox. <see cref="Key"/> is the idempotency key: enqueuing it twice adds it once.</summary>
public sealed record OutboxJob(
    string Key,
    string SendKey,
    string WaveId,
    string MessageId,
    string DepartmentId,
    DeliveryKind Kind,
    string Target,
    string? Language,
    DateTimeOffset DueUtc);
