namespace TeamsRolloutBot.Commands;

/// <summary>Where a wave stands: its state, the start date in force, who changed it last, and delivery counts when known.</summary>
public sealed record WaveStatus(
    string WaveId,
    WaveState State,
    DateOnly StartDate,
    DateTimeOffset? ChangedAt,
    string? ChangedBy,
    DeliveryCounts? Deliveries);
