namespace TeamsRolloutBot.Delivery;

/// <summary>The result of one attempt, as recorded.</summary>
public sealed record DeliveryResult(
    DeliveryOutcome Outcome,
    string? Detail = null,
    int? StatusCode = null,
    string? ConversationId = null,
    string? ActivityId = null);
