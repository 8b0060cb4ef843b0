namespace TeamsRolloutBot.Delivery;

/// <summary>
/// One card the bot put in Teams (a channel post or a 1:1 message): where it is (serviceUrl, conversation and activity
/// id, as the connector returned them), the SHA-256 of the card as sent in its language, and its latest correction.
/// </summary>
public sealed record SentCard(
    string JobKey,
    string SendKey,
    string WaveId,
    string MessageId,
    string DepartmentId,
    DeliveryKind Kind,
    string Target,
    string? Language,
    string ServiceUrl,
    string ConversationId,
    string ActivityId,
    string Fingerprint,
    DateTimeOffset SentUtc,
    CorrectionOutcome State = CorrectionOutcome.Sent,
    string? Detail = null,
    DateTimeOffset? CorrectedUtc = null)
{
    /// <summary>Still in Teams: sent or updated, or a correction failed and left the card as it was.</summary>
    public bool IsLive => State is CorrectionOutcome.Sent or CorrectionOutcome.Updated or CorrectionOutcome.Failed;
}
