namespace TeamsRolloutBot.Feedback.Replies;

/// <summary>The thread reply part of a feedback summary: how many, the most recent, and the problems they name.</summary>
public sealed record ReplyFigures(int Count, IReadOnlyList<StoredReply> Recent, IReadOnlyList<(string Problem, int Count)> Problems);
