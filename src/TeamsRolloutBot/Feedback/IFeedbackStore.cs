namespace TeamsRolloutBot.Feedback;

/// <summary>
/// The survey state: one current answer per user per survey (edits kept as numbered history), the durable SharePoint
/// sync queue, the survey card messages whose refresh list must be updated, and the once-only reminder and summary
/// claims. Implemented on the SQLite file (<see cref="FeedbackStore"/>) and on Azure Table Storage, shared by every instance.
/// </summary>
public interface IFeedbackStore
{
    /// <summary>
    /// Stores a valid submission at once. The same answers again (a redelivery or a second click) change nothing and add
    /// no history; other answers become the next version, and the SharePoint copy is queued.
    /// </summary>
    Task<SaveResult> SaveAsync(SurveyPlacement placement, SurveyRespondent respondent, SurveyAnswer answer, CancellationToken cancellationToken);

    /// <summary>A user's current answer to a survey, or null.</summary>
    Task<StoredAnswer?> FindAsync(string surveyId, string userAadObjectId, CancellationToken cancellationToken);

    /// <summary>Current answers, optionally of one wave and/or department, newest first.</summary>
    Task<IReadOnlyList<StoredAnswer>> ListAsync(string? waveId, string? departmentId, CancellationToken cancellationToken);

    /// <summary>Every version of a user's answer, oldest first.</summary>
    Task<IReadOnlyList<AnswerVersion>> HistoryAsync(string surveyId, string userAadObjectId, CancellationToken cancellationToken);

    /// <summary>The <c>29:</c> ids of the most recent respondents of a survey in one department (for a channel card's refresh list).</summary>
    Task<IReadOnlyList<string>> RecentRespondentIdsAsync(string surveyId, string? departmentId, int limit, CancellationToken cancellationToken);

    /// <summary>Answers whose newest version is not in the list yet and whose next attempt is due.</summary>
    Task<IReadOnlyList<SyncWork>> DueSyncAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Recorded before the POST: after a crash the next attempt looks the item up by correlation id first.</summary>
    Task MarkPostStartedAsync(string surveyId, string userAadObjectId, CancellationToken cancellationToken);

    /// <summary>Stores the list item id and the version now in the list; clears the failure count.</summary>
    Task MarkSyncedAsync(string surveyId, string userAadObjectId, string itemId, int version, CancellationToken cancellationToken);

    /// <summary>Stores the item id found or created, without claiming a version (used before a PATCH).</summary>
    Task SetItemIdAsync(string surveyId, string userAadObjectId, string? itemId, CancellationToken cancellationToken);

    /// <summary>Records a failed attempt and when to try again.</summary>
    Task MarkSyncFailedAsync(string surveyId, string userAadObjectId, string failure, DateTimeOffset nextAttempt, CancellationToken cancellationToken);

    /// <summary>Counts for the summary and the health of the SharePoint copy.</summary>
    Task<SyncCounts> SyncCountsAsync(CancellationToken cancellationToken);

    /// <summary>Remembers a survey card message and marks its refresh list for an update.</summary>
    Task TouchCardMessageAsync(SurveyCardMessage message, CancellationToken cancellationToken);

    /// <summary>Card messages whose refresh list is out of date.</summary>
    Task<IReadOnlyList<SurveyCardMessage>> DueCardMessagesAsync(int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Ends a refresh-list update: done (the next update of this message not before <paramref name="quietUntil"/>), or
    /// retry at <paramref name="retryAt"/> after <paramref name="failure"/> (null: give up, with the failure kept). When a newer answer touched the message
    /// meanwhile, it stays pending for another update.
    /// </summary>
    Task CompleteCardMessageAsync(SurveyCardMessage message, string? failure, DateTimeOffset? retryAt, DateTimeOffset quietUntil, CancellationToken cancellationToken);

    /// <summary>Claims a notice (kind, scope, target) once: true only for the first caller ever.</summary>
    Task<bool> TryClaimNoticeAsync(string kind, string scope, string target, CancellationToken cancellationToken);

    /// <summary>Records how a claimed notice ended (sent, no-conversation, failed: outcome).</summary>
    Task CompleteNoticeAsync(string kind, string scope, string target, string state, string? detail, CancellationToken cancellationToken);

    /// <summary>Gives a claim back (the send certainly did not happen), so a later pass may try again.</summary>
    Task ReleaseNoticeAsync(string kind, string scope, string target, CancellationToken cancellationToken);

    /// <summary>The notices of one kind (all scopes when <paramref name="scope"/> is null).</summary>
    Task<IReadOnlyList<FeedbackNotice>> NoticesAsync(string kind, string? scope, CancellationToken cancellationToken);
}
