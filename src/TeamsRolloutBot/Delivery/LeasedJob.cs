namespace TeamsRolloutBot.Delivery;

/// <summary>A job a dispatcher holds until <see cref="LeaseUntil"/>; after that another dispatcher may take it.</summary>
public sealed record LeasedJob(OutboxJob Job, int Attempts, bool InstallRequested, DateTimeOffset LeaseUntil);
