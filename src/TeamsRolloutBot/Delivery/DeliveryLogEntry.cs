namespace TeamsRolloutBot.Delivery;

/// <summary>One line of the delivery log: what happened to one job.</summary>
public sealed record DeliveryLogEntry(
    string Key,
    string WaveId,
    string MessageId,
    string DepartmentId,
    DeliveryKind Kind,
    string Target,
    JobState State,
    DeliveryOutcome? Outcome,
    string? Detail,
    int Attempts,
    string? ConversationId,
    string? ActivityId,
    DateTimeOffset UpdatedUtc);
