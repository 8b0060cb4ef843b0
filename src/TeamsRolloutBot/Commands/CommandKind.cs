namespace TeamsRolloutBot.Commands;

/// <summary>The commands the bot understands.</summary>
public enum CommandKind
{
    Help,
    WhoAmI,
    Plan,
    PlanReload,
    Schedule,
    Preview,
    WaveStart,
    WavePause,
    WaveResume,
    WaveCancel,
    Send,
    Status,
    Feedback,
    FeedbackSetupList,
    Export,
    Deliveries,
    DeliveriesRetry,
    /// <summary><c>update &lt;message&gt; [department]</c>: replace the sent cards in place.</summary>
    Update,
    /// <summary><c>retract &lt;message&gt; [department]</c>: delete the sent cards.</summary>
    Retract,
    Approve,
    /// <summary><c>hold &lt;wave&gt;</c>: what the approval card's Hold button does.</summary>
    Hold,
}
