using System.Net;
using System.Text.Json.Serialization;

namespace TeamsRolloutBot.Protocol;

/// <summary>The one closed outcome of a call to the Bot Connector.</summary>
public enum ConnectorOutcome
{
    /// <summary>The connector accepted the call.</summary>
    Delivered,
    /// <summary>429: try again after <see cref="ConnectorResult{T}.RetryAfter"/>.</summary>
    Throttled,
    /// <summary>The conversation is gone (404, bot removed from the conversation): do not retry, refresh the reference.</summary>
    RecipientGone,
    /// <summary>The user blocked the bot or the admin disabled it (403): do not retry.</summary>
    BotBlocked,
    /// <summary>Timeouts, 412, 5xx: retry with backoff.</summary>
    Transient,
    /// <summary>Bad request, too large, unauthorised, refused serviceUrl: retrying will not help.</summary>
    Permanent,
}

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

/// <summary>The connector's error body (Swagger shape); Teams does not always use it.</summary>
public sealed class ConnectorError
{
    public ConnectorErrorDetail? Error { get; set; }

    [JsonPropertyName("errorCode")]
    public int? ErrorCodeNumber { get; set; }

    public string? Message { get; set; }
}

/// <summary>The code and message of a connector error.</summary>
public sealed class ConnectorErrorDetail
{
    public string? Code { get; set; }
    public string? Message { get; set; }
}
