using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Feedback;

/// <summary>A comment for the summary: text, when, and the author's name only when they consented to contact.</summary>
public sealed record SummaryComment(string Text, string? Author, string? DepartmentId, DateTimeOffset At);
