namespace TeamsRolloutBot.Plan;

/// <summary>What reconciling the schedule with the sent records says about one send.</summary>
public enum SendState
{
    /// <summary>Sent, and the plan still has it unchanged: nothing to do.</summary>
    Sent,

    /// <summary>Not sent yet: the dispatcher sends it at its time (or now, when the time has passed).</summary>
    Due,

    /// <summary>Sent, but the plan's text or card for it changed since: it is not sent again; leads are told.</summary>
    ChangedAfterSend,

    /// <summary>Sent, and no longer in the plan (the message, wave or department was removed or renamed).</summary>
    Removed,
}
