namespace TeamsRolloutBot.Graph;

/// <summary>
/// The one closed outcome of a Microsoft Graph call, classified as the connector's <see cref="Protocol.ConnectorOutcome"/>
/// is (429 throttled, 404 gone, 408/412/5xx and network transient, the rest permanent).
/// </summary>
public enum GraphOutcome
{
    /// <summary>Graph accepted the call.</summary>
    Success,
    /// <summary>429 with a wait longer than the pipeline may take: try again after <see cref="GraphResult{T}.RetryAfter"/>.</summary>
    Throttled,
    /// <summary>404: the user, group, item or list does not exist.</summary>
    NotFound,
    /// <summary>Timeouts, connection errors, 408, 412, 5xx: retry with backoff.</summary>
    Transient,
    /// <summary>400, 401, 403, Graph turned off ...: retrying as-is will not help until someone fixes the configuration or grant.</summary>
    Permanent,
}
