using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Delivery;

/// <summary>What to do with a job after one attempt: finish it, or put it back in the queue until <see cref="RetryAt"/>.</summary>
public sealed record DeliveryStep(DeliveryResult Result, DateTimeOffset? RetryAt = null, bool CountAttempt = false, bool InstallRequested = false)
{
    public static DeliveryStep Done(DeliveryOutcome outcome, string? detail = null, int? status = null) => new(new DeliveryResult(outcome, detail, status));
}
