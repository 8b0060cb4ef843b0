namespace TeamsRolloutBot.Feedback;

/// <summary>The result of storing a submission: whether it changed anything, and the answer's version.</summary>
public sealed record SaveResult(bool Changed, int Version);
