using Azure;
using Azure.Data.Tables;
using TeamsRolloutBot.Feedback;
using static TeamsRolloutBot.Storage.Azure.AzureTables;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>
/// <see cref="IFeedbackStore"/> on Azure Table Storage, shared by every instance. <c>&lt;prefix&gt;Feedback</c> holds,
/// per survey (partition), one entity per respondent with the current answer and its SharePoint sync state (row key
/// <c>a|…</c>) and one per version (<c>h|…|n</c>): a new version replaces the answer with <c>If-Match</c> and adds its
/// history entity in one entity group transaction, so two instances saving one user's answer at once give two
/// consecutive versions, never one version twice. <c>&lt;prefix&gt;FeedbackCards</c> holds the survey card messages and
/// <c>&lt;prefix&gt;FeedbackNotices</c> the reminder and summary claims (an insert that fails on an existing key: one
/// instance sends). The SharePoint copy runs on every instance: an answer it hands out is held by one instance for two
/// minutes (<c>LeaseUntil</c>, taken with <c>If-Match</c>), so two instances do not copy it at the same time. Times are UTC ticks.
/// </summary>
public sealed class AzureTableFeedbackStore(TableServiceClient service, string tablePrefix, TimeProvider time) : IFeedbackStore
{
    private const string Card = "card";
    private const string AnswerKind = "answer";

    /// <summary>Answers, their history and their sync state.</summary>
    public TableClient Answers { get; } = service.GetTableClient(tablePrefix + "Feedback");

    /// <summary>Survey card messages.</summary>
    public TableClient Cards { get; } = service.GetTableClient(tablePrefix + "FeedbackCards");

    /// <summary>Reminder and summary claims.</summary>
    public TableClient Notices { get; } = service.GetTableClient(tablePrefix + "FeedbackNotices");

    public async Task<SaveResult> SaveAsync(SurveyPlacement placement, SurveyRespondent respondent, SurveyAnswer answer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(respondent);
        ArgumentNullException.ThrowIfNull(answer);
        var json = answer.ToCanonicalJson();
        var partition = Encode(placement.SurveyId);
        // Another instance saving this user's answer first makes the write fail (409/412): read its version and decide again.
        return await RetryOnConflictAsync(async () =>
        {
            var now = time.GetUtcNow().UtcTicks;
            var current = await GetAsync(Answers, partition, AnswerRow(respondent.AadObjectId), cancellationToken);
            if (current is not null && current.GetString("AnswerJson") == json)
            {
                return new SaveResult(false, current.GetInt32("Version")!.Value);
            }
            var version = (current?.GetInt32("Version") ?? 0) + 1;
            var entity = current ?? new TableEntity(partition, AnswerRow(respondent.AadObjectId))
            {
                ["Kind"] = AnswerKind, ["SurveyId"] = placement.SurveyId, ["UserAadObjectId"] = respondent.AadObjectId, ["FirstSubmittedAt"] = now,
                // The correlation id is fixed with the first version, before any POST, so a lost response can be found again.
                ["CorrelationId"] = Guid.NewGuid().ToString("D"), ["PostStarted"] = false, ["SyncedVersion"] = 0, ["Attempts"] = 0, ["NextAttemptAt"] = now,
            };
            Coalesce(entity, "UserId", respondent.UserId);
            Coalesce(entity, "UserName", respondent.Name);
            Coalesce(entity, "Locale", respondent.Locale);
            Coalesce(entity, "WaveId", placement.WaveId);
            Coalesce(entity, "DepartmentId", placement.DepartmentId);
            Coalesce(entity, "MessageId", placement.MessageId);
            entity["AnswerJson"] = json;
            entity["Version"] = version;
            entity["UpdatedAt"] = now;
            // A new version does not jump the queue past a Retry-After that is still running.
            entity["NextAttemptAt"] = Math.Max(entity.GetInt64("NextAttemptAt") ?? now, now);
            entity["SyncPending"] = (entity.GetInt32("SyncedVersion") ?? 0) < version;
            var history = new TableEntity(partition, HistoryRow(respondent.AadObjectId, version))
            {
                ["Kind"] = "history", ["Version"] = version, ["AnswerJson"] = json, ["SubmittedAt"] = now,
            };
            await Answers.SubmitTransactionAsync(
            [
                current is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, entity)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, current.ETag),
                new TableTransactionAction(TableTransactionActionType.Add, history),
            ], cancellationToken);
            return new SaveResult(true, version);
        }, cancellationToken);
    }

    public async Task<StoredAnswer?> FindAsync(string surveyId, string userAadObjectId, CancellationToken cancellationToken) =>
        await GetAsync(Answers, Encode(surveyId), AnswerRow(userAadObjectId), cancellationToken) is { } e ? ReadAnswer(e) : null;

    public async Task<IReadOnlyList<StoredAnswer>> ListAsync(string? waveId, string? departmentId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"Kind eq {AnswerKind}");
        if (waveId is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"WaveId eq {waveId}");
        }
        if (departmentId is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"DepartmentId eq {departmentId}");
        }
        var list = await QueryAsync(Answers, filter, cancellationToken);
        return [.. list.Select(ReadAnswer).OrderByDescending(a => a.UpdatedAt).ThenBy(a => a.Respondent.AadObjectId, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<AnswerVersion>> HistoryAsync(string surveyId, string userAadObjectId, CancellationToken cancellationToken)
    {
        var prefix = "h|" + Encode(userAadObjectId) + "|";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Encode(surveyId)} and RowKey ge {prefix} and RowKey lt {prefix + "~"}");
        var list = await QueryAsync(Answers, filter, cancellationToken);
        return [.. list.Select(e => new AnswerVersion(e.GetInt32("Version")!.Value, SurveyAnswer.FromCanonicalJson(e.GetString("AnswerJson")), Ticks(e, "SubmittedAt")))
            .OrderBy(v => v.Version)];
    }

    public async Task<IReadOnlyList<string>> RecentRespondentIdsAsync(string surveyId, string? departmentId, int limit, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Encode(surveyId)} and Kind eq {AnswerKind}");
        if (departmentId is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"DepartmentId eq {departmentId}");
        }
        var list = await QueryAsync(Answers, filter, cancellationToken, ["UserId", "UpdatedAt"]);
        return [.. list.Where(e => e.GetString("UserId") is not null).OrderByDescending(e => e.GetInt64("UpdatedAt")).Take(limit).Select(e => e.GetString("UserId"))];
    }

    public async Task<IReadOnlyList<SyncWork>> DueSyncAsync(int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var list = await QueryAsync(Answers, TableClient.CreateQueryFilter($"Kind eq {AnswerKind} and SyncPending eq {true} and NextAttemptAt le {now.UtcTicks}"), cancellationToken);
        // Every instance runs the copy: each answer handed out is held by one instance for a while (see AzureTables.ClaimAsync).
        var claimed = await ClaimAsync(Answers, list.OrderBy(e => e.GetInt64("NextAttemptAt")), limit, now, cancellationToken);
        return [.. claimed.Select(e => new SyncWork(ReadAnswer(e), e.GetString("CorrelationId"), e.GetBoolean("PostStarted") == true))];
    }

    public Task MarkPostStartedAsync(string surveyId, string userAadObjectId, CancellationToken cancellationToken) =>
        MutateAnswerAsync(surveyId, userAadObjectId, e => e["PostStarted"] = true, cancellationToken);

    public Task MarkSyncedAsync(string surveyId, string userAadObjectId, string itemId, int version, CancellationToken cancellationToken) =>
        MutateAnswerAsync(surveyId, userAadObjectId, e =>
        {
            var synced = Math.Max(e.GetInt32("SyncedVersion") ?? 0, version);
            e["ItemId"] = itemId;
            e["SyncedVersion"] = synced;
            e["SyncPending"] = synced < e.GetInt32("Version");
            e["Attempts"] = 0;
            e["LastError"] = null;
            e["LeaseUntil"] = null;
        }, cancellationToken);

    public Task SetItemIdAsync(string surveyId, string userAadObjectId, string? itemId, CancellationToken cancellationToken) =>
        MutateAnswerAsync(surveyId, userAadObjectId, e =>
        {
            e["ItemId"] = itemId;
            if (itemId is null)
            {
                e["PostStarted"] = false;
            }
        }, cancellationToken);

    public Task MarkSyncFailedAsync(string surveyId, string userAadObjectId, string failure, DateTimeOffset nextAttempt, CancellationToken cancellationToken) =>
        MutateAnswerAsync(surveyId, userAadObjectId, e =>
        {
            e["Attempts"] = (e.GetInt32("Attempts") ?? 0) + 1;
            e["LastError"] = failure.Length > 500 ? failure[..500] : failure;
            e["NextAttemptAt"] = nextAttempt.UtcTicks;
            e["LeaseUntil"] = null;
        }, cancellationToken);

    public async Task<SyncCounts> SyncCountsAsync(CancellationToken cancellationToken)
    {
        var list = await QueryAsync(Answers, TableClient.CreateQueryFilter($"Kind eq {AnswerKind}"), cancellationToken, ["Version", "SyncedVersion", "Attempts"]);
        bool Synced(TableEntity e) => (e.GetInt32("SyncedVersion") ?? 0) >= (e.GetInt32("Version") ?? 0);
        return new SyncCounts(list.Count(Synced), list.Count(e => !Synced(e) && (e.GetInt32("Attempts") ?? 0) == 0),
            list.Count(e => !Synced(e) && (e.GetInt32("Attempts") ?? 0) > 0));
    }

    public async Task TouchCardMessageAsync(SurveyCardMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var now = time.GetUtcNow().UtcTicks;
        var row = CardRow(message.ConversationId, message.ActivityId);
        if (await TryAddAsync(Cards, ToCardEntity(message, row, now), cancellationToken))
        {
            return;
        }
        await MutateAsync(Cards, Card, row, e =>
        {
            e["ServiceUrl"] = message.ServiceUrl;
            e["RefreshPending"] = true;
            e["Generation"] = (e.GetInt64("Generation") ?? 0) + 1;
            e["Attempts"] = 0;
            e["NextAttemptAt"] = Math.Max(e.GetInt64("NextAttemptAt") ?? now, now);
            e["UpdatedAt"] = now;
            return true;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<SurveyCardMessage>> DueCardMessagesAsync(int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcTicks;
        var list = await QueryAsync(Cards, TableClient.CreateQueryFilter($"PartitionKey eq {Card} and RefreshPending eq {true} and NextAttemptAt le {now}"), cancellationToken);
        return [.. list.OrderBy(e => e.GetInt64("NextAttemptAt")).Take(limit).Select(e =>
            new SurveyCardMessage(e.GetString("ConversationId"), e.GetString("ActivityId"), e.GetString("ServiceUrl"), e.GetString("ConversationType"),
                new SurveyPlacement(e.GetString("SurveyId"), e.GetString("WaveId"), e.GetString("DepartmentId"), e.GetString("MessageId")),
                e.GetString("Language"), e.GetString("UserId"))
            {
                Generation = e.GetInt64("Generation") ?? 0,
            })];
    }

    public Task CompleteCardMessageAsync(SurveyCardMessage message, string? failure, DateTimeOffset? retryAt, DateTimeOffset quietUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return MutateAsync(Cards, Card, CardRow(message.ConversationId, message.ActivityId), e =>
        {
            // A newer answer touched the message meanwhile: it stays pending for another update.
            e["RefreshPending"] = (e.GetInt64("Generation") ?? 0) != message.Generation || (failure is not null && retryAt is not null);
            e["Attempts"] = failure is null ? 0 : (e.GetInt32("Attempts") ?? 0) + 1;
            e["NextAttemptAt"] = failure is null ? quietUntil.UtcTicks : retryAt?.UtcTicks ?? e.GetInt64("NextAttemptAt");
            e["LastError"] = failure;
            e["UpdatedAt"] = time.GetUtcNow().UtcTicks;
            return true;
        }, cancellationToken);
    }

    public Task<bool> TryClaimNoticeAsync(string kind, string scope, string target, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcTicks;
        return TryAddAsync(Notices, new TableEntity(Encode(kind), NoticeRow(scope, target))
        {
            ["Kind"] = kind, ["Scope"] = scope, ["Target"] = target, ["State"] = "sending", ["CreatedAt"] = now, ["UpdatedAt"] = now,
        }, cancellationToken);
    }

    public Task CompleteNoticeAsync(string kind, string scope, string target, string state, string? detail, CancellationToken cancellationToken) =>
        MutateAsync(Notices, Encode(kind), NoticeRow(scope, target), e =>
        {
            e["State"] = state;
            e["Detail"] = detail;
            e["UpdatedAt"] = time.GetUtcNow().UtcTicks;
            return true;
        }, cancellationToken);

    public async Task ReleaseNoticeAsync(string kind, string scope, string target, CancellationToken cancellationToken)
    {
        try
        {
            await Notices.DeleteEntityAsync(Encode(kind), NoticeRow(scope, target), ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Not claimed (or released already): nothing to give back.
        }
    }

    public async Task<IReadOnlyList<FeedbackNotice>> NoticesAsync(string kind, string? scope, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Encode(kind)}");
        if (scope is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Scope eq {scope}");
        }
        var list = await QueryAsync(Notices, filter, cancellationToken);
        return [.. list.OrderBy(e => e.GetInt64("CreatedAt")).ThenBy(e => e.GetString("Target"), StringComparer.Ordinal)
            .Select(e => new FeedbackNotice(e.GetString("Kind"), e.GetString("Scope"), e.GetString("Target"), e.GetString("State"), e.GetString("Detail"), Ticks(e, "UpdatedAt")))];
    }

    internal static string AnswerRow(string userAadObjectId) => "a|" + Encode(userAadObjectId);

    internal static string HistoryRow(string userAadObjectId, int version) =>
        "h|" + Encode(userAadObjectId) + "|" + version.ToString("D9", System.Globalization.CultureInfo.InvariantCulture);

    internal static string CardPartition => Card;

    internal static string CardRow(string conversationId, string activityId) => Encode(conversationId + "\n" + activityId);

    internal static string NoticeRow(string scope, string target) => Encode(scope + "\n" + target);

    internal static TableEntity ToCardEntity(SurveyCardMessage message, string row, long now) => new(Card, row)
    {
        ["ConversationId"] = message.ConversationId, ["ActivityId"] = message.ActivityId, ["ServiceUrl"] = message.ServiceUrl,
        ["ConversationType"] = message.ConversationType, ["SurveyId"] = message.Placement.SurveyId, ["WaveId"] = message.Placement.WaveId,
        ["DepartmentId"] = message.Placement.DepartmentId, ["MessageId"] = message.Placement.MessageId, ["Language"] = message.Language,
        ["UserId"] = message.UserId, ["RefreshPending"] = true, ["Generation"] = 0L, ["Attempts"] = 0, ["NextAttemptAt"] = now, ["UpdatedAt"] = now,
    };

    private Task<bool> MutateAnswerAsync(string surveyId, string userAadObjectId, Action<TableEntity> change, CancellationToken cancellationToken) =>
        MutateAsync(Answers, Encode(surveyId), AnswerRow(userAadObjectId), e =>
        {
            change(e);
            e["SyncUpdatedAt"] = time.GetUtcNow().UtcTicks;
            return true;
        }, cancellationToken);

    private static void Coalesce(TableEntity entity, string key, string? value)
    {
        if (value is not null)
        {
            entity[key] = value;
        }
    }

    private static StoredAnswer ReadAnswer(TableEntity e) => new(
        new SurveyPlacement(e.GetString("SurveyId"), e.GetString("WaveId"), e.GetString("DepartmentId"), e.GetString("MessageId")),
        new SurveyRespondent(e.GetString("UserAadObjectId"), e.GetString("UserId"), e.GetString("UserName"), e.GetString("Locale")),
        SurveyAnswer.FromCanonicalJson(e.GetString("AnswerJson")),
        e.GetInt32("Version")!.Value,
        Ticks(e, "FirstSubmittedAt"),
        Ticks(e, "UpdatedAt"),
        e.GetString("ItemId"),
        e.GetInt32("SyncedVersion") ?? 0,
        e.GetInt32("Attempts") ?? 0,
        e.GetString("LastError"));

    private static DateTimeOffset Ticks(TableEntity e, string key) => new(e.GetInt64(key)!.Value, TimeSpan.Zero);
}
