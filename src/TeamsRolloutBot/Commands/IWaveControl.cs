using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Commands;

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
