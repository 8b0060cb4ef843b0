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
    Approve,
}
