namespace TeamsRolloutBot.Feedback.Replies;

/// <summary>
/// A channel post of the bot whose replies are feedback: the root of a thread, with where it was posted (the team's
/// <c>19:</c> id and its Entra group id, the channel) and which plan message it carried.
/// </summary>
public sealed record ThreadRoot(
    string RootMessageId,
    string ChannelId,
    string? TeamId,
    string? TeamAadGroupId,
    string WaveId,
    string DepartmentId,
    string MessageId,
    DateTimeOffset PostedAt);
