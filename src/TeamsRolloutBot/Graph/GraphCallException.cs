namespace TeamsRolloutBot.Graph;

/// <summary>A Graph call that failed where a value was needed (member listing, lead lookups): callers fail closed.</summary>
public sealed class GraphCallException : Exception
{
    public GraphCallException(GraphOutcome outcome, int? status, string? error, TimeSpan? retryAfter = null)
        : base($"Graph call failed: {outcome} {status} {error}".TrimEnd())
    {
        Outcome = outcome;
        Status = status;
        RetryAfter = retryAfter;
    }

    public GraphOutcome Outcome { get; }

    public int? Status { get; }

    public TimeSpan? RetryAfter { get; }

    /// <summary>The exception for a failed result.</summary>
    public static GraphCallException From<T>(GraphResult<T> result) => new(result.Outcome, result.Status, result.Error, result.RetryAfter);
}
