namespace TeamsRolloutBot.Plan;

/// <summary>
/// A hosted service that acts on every plan load (<see cref="PlanProvider.Reloaded"/>): subscribed at start, before
/// the plan provider loads (so the first load is seen too), and unsubscribed at stop.
/// </summary>
public abstract class PlanReloadListener(PlanProvider plans) : IHostedService
{
    /// <summary>The plan provider listened to.</summary>
    protected PlanProvider Plans { get; } = plans;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Plans.Reloaded += OnReloaded;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Plans.Reloaded -= OnReloaded;
        return Task.CompletedTask;
    }

    /// <summary>Called on every load, valid or not; must not throw or block (start background work instead).</summary>
    protected abstract void OnReloaded(object? sender, PlanReloadedEventArgs e);
}
