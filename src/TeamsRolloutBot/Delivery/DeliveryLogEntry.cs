namespace TeamsRolloutBot.Delivery;

/// <summary>
/// One line of the delivery log: what happened to one job. <see cref="SendKey"/> names the planned send it came from and
/// <see cref="CreatedUtc"/> when it was queued (both empty where a store read does not need them).
/// </summary>
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
    DateTimeOffset UpdatedUtc,
    string SendKey = "",
    DateTimeOffset? CreatedUtc = null);
