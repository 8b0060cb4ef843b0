namespace TeamsRolloutBot.Delivery;

/// <summary><c>Rollout:DemoTimeScale</c>: how much faster than real time the schedule runs in local Playground mode.</summary>
public sealed class DemoOptions
{
    /// <summary>1 (or unset) = real time; 10080 = one plan week per minute. Honoured only with <c>Bot:LocalPlayground=true</c>.</summary>
    public double DemoTimeScale { get; set; } = 1;
}
