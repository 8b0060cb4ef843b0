namespace TeamsRolloutBot.Delivery;

/// <summary>The status card the bot keeps up to date for one lead and one wave message.</summary>
public sealed record ProgressCard(string WaveId, string MessageId, string LeadId, string ConversationId, string ServiceUrl, string ActivityId, bool Final);
