namespace TeamsRolloutBot.Graph;

/// <summary>What a Graph call came to: the outcome, its value on success, and the status, error text and wait otherwise.</summary>
public sealed record GraphResult<T>(GraphOutcome Outcome, T? Value = default, int? Status = null, string? Error = null, TimeSpan? RetryAfter = null)
{
    public bool IsSuccess => Outcome == GraphOutcome.Success;

    /// <summary>A result of another type with the same outcome, for failures.</summary>
    public GraphResult<TOther> As<TOther>() => new(Outcome, default, Status, Error, RetryAfter);

    /// <summary>A success carrying <paramref name="value"/>, with this call's status.</summary>
    public GraphResult<TOther> With<TOther>(TOther value) => new(GraphOutcome.Success, value, Status);
}
