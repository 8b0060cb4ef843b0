namespace TeamsRolloutBot.Delivery;

/// <summary>The one recorded outcome of a delivery attempt (the connector's outcomes plus the delivery layer's own).</summary>
public enum DeliveryOutcome
{
    Delivered,
    Throttled,
    RecipientGone,
    BotBlocked,
    Transient,
    Permanent,
    /// <summary>Deliberately not sent, with the reason (for example e-mail in local Playground mode).</summary>
    Skipped,
}
