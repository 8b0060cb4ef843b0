namespace TeamsRolloutBot.Feedback.Replies;

/// <summary>What storing a reply did.</summary>
public enum ReplyChange
{
    /// <summary>A reply not seen before.</summary>
    Added,
    /// <summary>A newer text: the previous one went to the history.</summary>
    Edited,
    /// <summary>The reply was deleted in Teams.</summary>
    Deleted,
    /// <summary>Already stored as it is (the same reply live and by catch-up, or an older copy).</summary>
    Unchanged,
    /// <summary>The thread is not tracked: nothing stored.</summary>
    NotTracked,
}
