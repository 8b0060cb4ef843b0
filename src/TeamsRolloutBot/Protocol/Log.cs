namespace TeamsRolloutBot.Protocol;

/// <summary>Protocol log messages (event ids 1000-1099). Never log tokens or message texts.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "Inbound request refused with {Status}: {Reason}")]
    public static partial void InboundRefused(ILogger logger, int status, string reason);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Redelivered activity ignored ({Type})")]
    public static partial void Redelivered(ILogger logger, string type);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Refused to call a serviceUrl that is not allow-listed: {Host}")]
    public static partial void ServiceUrlRefused(ILogger logger, string host);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Connector call {Method} {Path} failed: {Error}")]
    public static partial void ConnectorCallFailed(ILogger logger, string method, string path, string error);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Connector call {Method} {Path} answered {Status} {Code}: {Outcome}")]
    public static partial void ConnectorCallRefused(ILogger logger, string method, string path, int status, string code, ConnectorOutcome outcome);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "Handling a {Type} activity failed")]
    public static partial void HandlerFailed(ILogger logger, string type, Exception exception);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Error, Message = "OpenID metadata could not be fetched ({Error}); keeping the last keys, if any")]
    public static partial void MetadataUnavailable(ILogger logger, string error);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Local Playground mode: inbound tokens are NOT validated and outbound calls carry no token. Never use this outside a developer machine.")]
    public static partial void LocalModeOn(ILogger logger);
}
