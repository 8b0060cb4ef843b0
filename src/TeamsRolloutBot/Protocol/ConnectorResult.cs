using System.Net;

namespace TeamsRolloutBot.Protocol;

/// <summary>What a connector call came to: the outcome, the status and error code, the body when it succeeded.</summary>
public sealed record ConnectorResult<T>(
    ConnectorOutcome Outcome,
    T? Value = default,
    HttpStatusCode? StatusCode = null,
    string? ErrorCode = null,
    string? ErrorMessage = null,
    TimeSpan? RetryAfter = null)
{
    public bool IsSuccess => Outcome == ConnectorOutcome.Delivered;

    /// <summary>A result of another type with the same outcome, for failures.</summary>
    public ConnectorResult<TOther> As<TOther>() => new(Outcome, default, StatusCode, ErrorCode, ErrorMessage, RetryAfter);
}
