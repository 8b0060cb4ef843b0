namespace TeamsRolloutBot.Feedback;

/// <summary>Which survey an answer belongs to and where the card came from (the card's action data).</summary>
public sealed record SurveyPlacement(string SurveyId, string? WaveId, string? DepartmentId, string? MessageId);
