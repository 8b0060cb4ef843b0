namespace TeamsRolloutBot.Feedback;

/// <summary>The Teams message that carried a survey card, so its per-user refresh list can be kept current.</summary>
public sealed record SurveyCardMessage(
    string ConversationId, string ActivityId, string ServiceUrl, string ConversationType, SurveyPlacement Placement, string Language, string? UserId)
{
    /// <summary>Counts changes: an update only clears the pending flag when no newer answer arrived meanwhile.</summary>
    public long Generation { get; init; }
}
