namespace TeamsRolloutBot.Feedback.Replies;

/// <summary>Thread reply log messages (event ids 1900-1999). Reply texts and authors are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1900, Level = LogLevel.Warning, Message = "Channel post of {WaveId}/{MessageId} for {DepartmentId} returned no message id: its replies cannot be tracked")]
    public static partial void RootWithoutId(ILogger logger, string waveId, string messageId, string departmentId);

    [LoggerMessage(EventId = 1901, Level = LogLevel.Error, Message = "Channel post of {WaveId}/{MessageId} for {DepartmentId} could not be recorded as a tracked thread")]
    public static partial void RootNotRecorded(ILogger logger, Exception exception, string waveId, string messageId, string departmentId);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Information, Message = "Thread catch-up of root {RootMessageId}: {Added} added, {Edited} edited, {Deleted} deleted")]
    public static partial void CaughtUp(ILogger logger, string rootMessageId, int added, int edited, int deleted);

    [LoggerMessage(EventId = 1903, Level = LogLevel.Warning, Message = "Thread catch-up of root {RootMessageId} failed ({Outcome}): {Detail}; retrying at {RetryAt}")]
    public static partial void CatchUpFailed(ILogger logger, string rootMessageId, string outcome, string detail, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 1904, Level = LogLevel.Warning, Message = "Thread catch-up of root {RootMessageId} skipped: the team's Entra group id is not known yet")]
    public static partial void NoGroupId(ILogger logger, string rootMessageId);

    [LoggerMessage(EventId = 1905, Level = LogLevel.Error, Message = "Thread catch-up pass failed")]
    public static partial void CatchUpPassFailed(ILogger logger, Exception exception);
}
