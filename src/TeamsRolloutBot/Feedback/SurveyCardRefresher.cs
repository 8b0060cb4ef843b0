using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Feedback;

/// <summary>
/// Keeps each survey card's <c>refresh.userIds</c> current: after an answer, the message the user answered is PUT again
/// with the same survey content and the recent respondents of that department (at most 60) in its refresh list, so those
/// users see their thank-you card when Teams loads the message again; everyone else keeps the survey.
/// </summary>
public sealed partial class SurveyCardRefresher(
    IFeedbackStore store, SurveyCards cards, ConnectorClient connector, TimeProvider time, ILogger<SurveyCardRefresher> logger)
{
    /// <summary>
    /// One message is updated at most this often: answers arriving meanwhile are folded into the next update, so a busy
    /// channel does not spend Teams' per-conversation rate limit (about 60 operations per 30 s) on refresh lists.
    /// </summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(15);

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var updated = 0;
        foreach (var message in await store.DueCardMessagesAsync(50, cancellationToken))
        {
            IReadOnlyList<string> ids = message.ConversationType == "personal"
                ? message.UserId is { } user ? [user] : []
                : await store.RecentRespondentIdsAsync(message.Placement.SurveyId, message.Placement.DepartmentId, SurveyCards.MaxRefreshUserIds, cancellationToken);
            var card = cards.Survey(message.Placement, null, ids, null, message.Language);
            var result = await connector.UpdateActivityAsync(message.ServiceUrl, message.ConversationId, message.ActivityId, Activity.CreateCard(card), cancellationToken);
            if (result.IsSuccess)
            {
                updated++;
                await store.CompleteCardMessageAsync(message, null, null, time.GetUtcNow() + MinInterval, cancellationToken);
                continue;
            }
            DateTimeOffset? retry = result.Outcome is ConnectorOutcome.Throttled or ConnectorOutcome.Transient
                ? time.GetUtcNow() + (result.RetryAfter ?? TimeSpan.FromMinutes(1))
                : null;
            await store.CompleteCardMessageAsync(message, $"{result.Outcome} {(int?)result.StatusCode} {result.ErrorCode}", retry, time.GetUtcNow() + MinInterval, cancellationToken);
            Log.RefreshFailed(logger, result.Outcome, (int?)result.StatusCode ?? 0, retry is not null);
        }
        return updated;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1820, Level = LogLevel.Warning, Message = "Survey card refresh list not updated: {Outcome} ({Status}); retry: {Retry}")]
        public static partial void RefreshFailed(ILogger logger, ConnectorOutcome outcome, int status, bool retry);
    }
}
