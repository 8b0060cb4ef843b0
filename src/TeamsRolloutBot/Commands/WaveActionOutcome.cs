namespace TeamsRolloutBot.Commands;

/// <summary>How a wave action went.</summary>
public enum WaveActionOutcome
{
    /// <summary>The state changed.</summary>
    Done,
    /// <summary>The wave already was in that state: nothing changed.</summary>
    Unchanged,
    /// <summary>Not possible from the wave's current state (for example resuming a wave that is not paused).</summary>
    NotPossible,
}
