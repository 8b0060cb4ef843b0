using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Conversations;

/// <summary>Conversation log messages (event ids 1100-1199).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Bot removed from a {ConversationType} conversation")]
    public static partial void Uninstalled(ILogger logger, string conversationType);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Welcome card not delivered ({Reason}); the next install event tries again")]
    public static partial void WelcomeFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "A lead could not be told about the invalid plan: no personal chat with the bot yet")]
    public static partial void LeadNotReachable(ILogger logger);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Telling a lead about the invalid plan failed: {Outcome}")]
    public static partial void LeadNotificationFailed(ILogger logger, ConnectorOutcome outcome);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Error, Message = "Telling the leads about the invalid plan failed")]
    public static partial void PlanNotificationFailed(ILogger logger, Exception exception);
}
