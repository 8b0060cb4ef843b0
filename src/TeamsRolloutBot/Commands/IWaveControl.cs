using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Commands;

/// <summary>A wave's state as the leads steer it.</summary>
public enum WaveState
{
    /// <summary>Follows the plan: runs from its planned start date.</summary>
    Scheduled,
    /// <summary>Started by a lead (now or on another date than planned).</summary>
    Started,
    /// <summary>Paused by a lead: nothing of this wave is sent until it is resumed.</summary>
    Paused,
    /// <summary>Cancelled by a lead: nothing more of this wave is sent.</summary>
    Cancelled,
}

/// <summary>Where a wave stands: its state, the start date in force, who changed it last, and delivery counts when known.</summary>
public sealed record WaveStatus(
    string WaveId,
    WaveState State,
    DateOnly StartDate,
    DateTimeOffset? ChangedAt,
    string? ChangedBy,
    DeliveryCounts? Deliveries);

/// <summary>Delivery progress of a wave, from the delivery engine's outbox (one job per channel post or person).</summary>
public sealed record DeliveryCounts(int Delivered, int Failed, int Pending, int Skipped = 0);

/// <summary>How a wave action went.</summary>
public enum WaveActionOutcome
{
    /// <summary>The state changed.</summary>
    Done,
    /// <summary>The wave already was in that state: nothing changed.</summary>
    Unchanged,
    /// <summary>Not possible from the wave's current state (for example resuming a wave that is not paused).</summary>
    NotPossible,
}

public sealed record WaveActionResult(WaveActionOutcome Outcome, WaveStatus Status);

/// <summary>What a send-now request came to.</summary>
public sealed record SendNowResult(bool Queued, int Jobs);

/// <summary>How many people (1:1 or e-mail) and channel posts a send reaches. Not exact when a group could not be counted.</summary>
public sealed record RecipientCount(int People, int ChannelPosts, bool Exact, IReadOnlyList<string> UncountedDepartments);

/// <summary>
/// What the lead commands need from wave delivery. <see cref="LocalWaveControl"/> implements it over the shared SQLite
/// file, which the delivery engine reads; another implementation can replace it (registered before AddLeadCommands).
/// </summary>
public interface IWaveControl
{
    /// <summary>Starts a wave on <paramref name="startDate"/> (the plan's date when null).</summary>
    Task<WaveActionResult> StartAsync(Wave wave, DateOnly? startDate, string actor, CancellationToken cancellationToken);

    Task<WaveActionResult> PauseAsync(Wave wave, string actor, CancellationToken cancellationToken);

    Task<WaveActionResult> ResumeAsync(Wave wave, string actor, CancellationToken cancellationToken);

    Task<WaveActionResult> CancelAsync(Wave wave, string actor, CancellationToken cancellationToken);

    /// <summary>
    /// Sends one plan message to the departments now, outside the schedule. <paramref name="requestId"/> (the
    /// confirmation id, or the chat message id) is the idempotency key: the same id must never send twice.
    /// </summary>
    Task<SendNowResult> SendNowAsync(string requestId, PlanMessage message, IReadOnlyList<Department> departments, string actor, CancellationToken cancellationToken);

    Task<WaveStatus> GetStatusAsync(Wave wave, CancellationToken cancellationToken);

    /// <summary>Who a send reaches: one message (or, when null, all messages of a wave) to these departments.</summary>
    Task<RecipientCount> CountRecipientsAsync(IReadOnlyList<PlanMessage> messages, IReadOnlyList<Department> departments, CancellationToken cancellationToken);
}
