namespace TeamsRolloutBot.Protocol;

/// <summary>A connector call that failed where the caller expected a value (for example while paging members).</summary>
public sealed class ConnectorException(string message, ConnectorOutcome outcome, TimeSpan? retryAfter) : Exception(message)
{
    public ConnectorOutcome Outcome { get; } = outcome;
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
