namespace TeamsRolloutBot.Feedback;

/// <summary>A stored current answer with its sync state.</summary>
public sealed record StoredAnswer(
    SurveyPlacement Placement,
    SurveyRespondent Respondent,
    SurveyAnswer Answer,
    int Version,
    DateTimeOffset FirstSubmittedAt,
    DateTimeOffset UpdatedAt,
    string? ListItemId,
    int SyncedVersion,
    int SyncAttempts,
    string? SyncError);
