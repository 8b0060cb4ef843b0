namespace TeamsRolloutBot.Feedback;

/// <summary>
/// Who received a wave's survey in one department: the people (Entra object ids) when known, and how many.
/// <see cref="Source"/> says where the figure comes from, so a summary can say how exact it is.
/// </summary>
public sealed record SurveyRecipients(int? Count, IReadOnlyList<string>? UserIds, SurveyRecipientSource Source);
