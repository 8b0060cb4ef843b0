namespace TeamsRolloutBot.Feedback;

/// <summary>Who answered: Entra object id (the key), the bot-specific <c>29:</c> id (for refresh.userIds), name and locale.</summary>
public sealed record SurveyRespondent(string AadObjectId, string? UserId, string? Name, string? Locale);
