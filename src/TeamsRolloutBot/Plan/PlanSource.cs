namespace TeamsRolloutBot.Plan;

/// <summary>Where the running plan came from (shown by <c>/readyz</c>).</summary>
public enum PlanSource
{
    /// <summary>This instance's plan file.</summary>
    File,

    /// <summary>The last valid plan kept in the store, because this instance's plan file is invalid or missing.</summary>
    Store,

    /// <summary>The version published by another instance; this instance's file differs from it.</summary>
    Published,
}
