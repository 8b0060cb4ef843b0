namespace TeamsRolloutBot.Feedback;

/// <summary>Which survey an answer belongs to and where the card came from (the card's action data).</summary>
public sealed record SurveyPlacement(string SurveyId, string? WaveId, string? DepartmentId, string? MessageId);

/// <summary>Who answered: Entra object id (the key), the bot-specific <c>29:</c> id (for refresh.userIds), name and locale.</summary>
public sealed record SurveyRespondent(string AadObjectId, string? UserId, string? Name, string? Locale);

/// <summary>The Teams message that carried a survey card, so its per-user refresh list can be kept current.</summary>
public sealed record SurveyCardMessage(
    string ConversationId, string ActivityId, string ServiceUrl, string ConversationType, SurveyPlacement Placement, string Language, string? UserId)
{
    /// <summary>Counts changes: an update only clears the pending flag when no newer answer arrived meanwhile.</summary>
    public long Generation { get; init; }
}

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

/// <summary>One earlier or current version of an answer.</summary>
public sealed record AnswerVersion(int Version, SurveyAnswer Answer, DateTimeOffset SubmittedAt);

/// <summary>The result of storing a submission: whether it changed anything, and the answer's version.</summary>
public sealed record SaveResult(bool Changed, int Version);

/// <summary>One answer due for copying to the SharePoint list.</summary>
public sealed record SyncWork(StoredAnswer Stored, string CorrelationId, bool PostStarted);

/// <summary>How far the SharePoint copy is: answers synced, waiting, and waiting after at least one failure.</summary>
public sealed record SyncCounts(int Synced, int Pending, int Failing);

/// <summary>A reminder or summary send, claimed once per key and ended with its outcome.</summary>
public sealed record FeedbackNotice(string Kind, string Scope, string Target, string State, string? Detail, DateTimeOffset UpdatedAt);
