namespace TeamsRolloutBot.Delivery;

/// <summary>One attempt's result to record: finished, or back in the queue at <see cref="RetryAt"/>.</summary>
public sealed record JobUpdate(string Key, DeliveryResult Result, DateTimeOffset? RetryAt = null, bool CountAttempt = false, bool InstallRequested = false);
