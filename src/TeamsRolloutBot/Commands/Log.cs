namespace TeamsRolloutBot.Commands;

/// <summary>Lead command log messages (event ids 1700-1799). Command arguments are plan ids, never message text.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1700, Level = LogLevel.Warning, Message = "Lead command '{Command}' refused for user {UserAadObjectId}: {Reason}")]
    public static partial void Refused(ILogger logger, string command, string userAadObjectId, LeadReason reason);

    [LoggerMessage(EventId = 1701, Level = LogLevel.Warning, Message = "Lead check through Microsoft Graph failed; the user is treated as not a lead: {Reason}")]
    public static partial void LeadCheckFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Information, Message = "Lead command '{Command}' by {UserAadObjectId}: {Result}")]
    public static partial void Executed(ILogger logger, string command, string userAadObjectId, string result);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Warning, Message = "Counting the members of department {Department} failed; its expected size is used: {Reason}")]
    public static partial void CountFailed(ILogger logger, string department, string reason);

    [LoggerMessage(EventId = 1704, Level = LogLevel.Warning, Message = "Export upload to Teams failed with status {Status}")]
    public static partial void UploadFailed(ILogger logger, int status);

    [LoggerMessage(EventId = 1705, Level = LogLevel.Warning, Message = "Card action '{Verb}' refused: {Reason}")]
    public static partial void InvokeRefused(ILogger logger, string verb, string reason);

    [LoggerMessage(EventId = 1706, Level = LogLevel.Warning, Message = "Updating the confirmation card for everyone failed: {Outcome}")]
    public static partial void CardUpdateFailed(ILogger logger, TeamsRolloutBot.Protocol.ConnectorOutcome outcome);
}
