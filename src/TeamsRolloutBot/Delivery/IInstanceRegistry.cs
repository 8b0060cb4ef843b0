namespace TeamsRolloutBot.Delivery;

/// <summary>
/// The instances that send for one tenant from shared storage, so each can take its share of the tenant's rate.
/// Implemented by the AzureStorage provider; with SQLite there is one instance and no registry.
/// </summary>
public interface IInstanceRegistry
{
    /// <summary>Records that <paramref name="instanceId"/> is alive now and returns how many instances are live, itself included.</summary>
    Task<int> HeartbeatAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Removes the instance (clean stop), so the others take over its share at their next heartbeat.</summary>
    Task LeaveAsync(string instanceId, CancellationToken cancellationToken);
}
