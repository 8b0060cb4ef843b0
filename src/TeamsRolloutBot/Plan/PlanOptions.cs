namespace TeamsRolloutBot.Plan;

/// <summary>Settings of the plan file, bound from the <c>Rollout</c> configuration section.</summary>
public sealed class PlanOptions
{
    public const string Section = "Rollout";

    /// <summary>The plan YAML file. A relative path is looked up under the content root, then its parent folders, then the app folder.</summary>
    public string PlanPath { get; set; } = "samples/intune-rollout.yaml";

    /// <summary>Reload the plan when the file changes.</summary>
    public bool WatchPlanFile { get; set; } = true;

    /// <summary>How long the file must be quiet after a change before it is reloaded (editors write in several steps).</summary>
    public TimeSpan PlanReloadDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// <c>Rollout:PublishedPlanPollInterval</c>: with several instances (AzureStorage), how often each instance looks for
    /// a newer published plan version and runs it (00:00:05 to 01:00:00).
    /// </summary>
    public TimeSpan PublishedPlanPollInterval { get; set; } = TimeSpan.FromSeconds(30);
}
