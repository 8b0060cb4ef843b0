using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Conversations;

/// <summary>Conversation log messages (event ids 1100-1199).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Bot removed from a {ConversationType} conversation")]
    public static partial void Uninstalled(ILogger logger, string conversationType);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Welcome card not delivered: {Outcome} ({Status}); the next install event tries again")]
    public static partial void WelcomeFailed(ILogger logger, ConnectorOutcome outcome, int status);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Reply not delivered: {Outcome} ({Status})")]
    public static partial void ReplyFailed(ILogger logger, ConnectorOutcome outcome, int status);
}
