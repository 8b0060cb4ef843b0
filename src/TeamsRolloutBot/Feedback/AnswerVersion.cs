namespace TeamsRolloutBot.Feedback;

/// <summary>One earlier or current version of an answer.</summary>
public sealed record AnswerVersion(int Version, SurveyAnswer Answer, DateTimeOffset SubmittedAt);
