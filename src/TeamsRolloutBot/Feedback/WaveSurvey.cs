namespace TeamsRolloutBot.Feedback;

/// <summary>One wave's survey: its id, the plan message that carries it, when it first goes out and to which departments.</summary>
public sealed record WaveSurvey(string WaveId, string SurveyId, string MessageId, DateTimeOffset SentAtUtc, IReadOnlyList<string> DepartmentIds);
