namespace TeamsRolloutBot.Graph;

/// <summary>Log messages of the Graph layer (events 2100-2199).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning, Message = "Graph {Method} {Path} answered {Status} ({Outcome}): {Error}")]
    public static partial void CallRefused(ILogger logger, string method, string path, int status, GraphOutcome outcome, string error);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Graph {Method} {Path} failed: {Error}")]
    public static partial void CallFailed(ILogger logger, string method, string path, string error);
}
