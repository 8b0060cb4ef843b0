namespace TeamsRolloutBot.Feedback;

/// <summary>A reminder or summary send, claimed once per key and ended with its outcome.</summary>
public sealed record FeedbackNotice(string Kind, string Scope, string Target, string State, string? Detail, DateTimeOffset UpdatedAt);
