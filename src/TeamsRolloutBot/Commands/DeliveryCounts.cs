namespace TeamsRolloutBot.Commands;

/// <summary>Delivery progress of a wave, from the delivery engine's outbox (one job per channel post or person).</summary>
public sealed record DeliveryCounts(int Delivered, int Failed, int Pending, int Skipped = 0);
