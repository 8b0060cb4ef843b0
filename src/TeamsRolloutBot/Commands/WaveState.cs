namespace TeamsRolloutBot.Commands;

/// <summary>A wave's state as the leads steer it.</summary>
public enum WaveState
{
    /// <summary>Follows the plan: runs from its planned start date.</summary>
    Scheduled,
    /// <summary>Started by a lead (now or on another date than planned).</summary>
    Started,
    /// <summary>Paused by a lead: nothing of this wave is sent until it is resumed.</summary>
    Paused,
    /// <summary>Cancelled by a lead: nothing more of this wave is sent.</summary>
    Cancelled,
}
