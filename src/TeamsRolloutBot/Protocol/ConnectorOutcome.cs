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
