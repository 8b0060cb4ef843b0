namespace TeamsRolloutBot.Feedback.Replies;

/// <summary>What one catch-up pass did.</summary>
public sealed record CatchUpResult(int Roots, int Added, int Edited, int Deleted, int Failed);
