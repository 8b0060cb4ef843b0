using System.Globalization;
using Azure.Data.Tables;
using TeamsRolloutBot.Storage.Sqlite;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Feedback;
using static TeamsRolloutBot.Storage.Azure.AzureTables;
using static TeamsRolloutBot.Storage.Azure.SqliteImport;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>
/// The one-time copy of a SQLite deployment's shared state into the tables: wave states, send-now requests,
/// confirmations, the audit log, survey answers with their history and SharePoint sync state, survey card messages,
/// reminder and summary claims, and conversation references the table does not have yet (before issue 10, references
/// learned from Teams stayed in the instance's file).
/// </summary>
public static class AzureStateImport
{
    /// <summary>Setting (in <c>&lt;prefix&gt;Settings</c>) that records the copy was claimed; present means later starts do not copy.</summary>
    public const string ImportMarker = "sqlite-import-state";

    /// <summary>Copies the state unless a copy was claimed before (by any instance); returns the counts copied, or null.</summary>
    public static async Task<StateImportCounts?> ImportFromSqliteOnceAsync(
        TableServiceClient service, string tablePrefix, SqliteDatabase database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(database);
        var settings = service.GetTableClient(tablePrefix + "Settings");
        if (!await TryAddAsync(settings, new TableEntity("meta", Encode(ImportMarker)) { ["Value"] = Guid.NewGuid().ToString("N") }, cancellationToken))
        {
            return null;
        }
        var waves = new AzureTableWaveStateStore(service, tablePrefix).Table;
        var confirmations = new AzureTableConfirmationStore(service, tablePrefix, TimeProvider.System).Table;
        var audit = new AzureTableAuditLog(service, tablePrefix, TimeProvider.System).Table;
        var conversationStore = new AzureTableConversationStore(service, tablePrefix, TimeProvider.System);
        var conversations = conversationStore.Table;

        var waveCount = await CopyAsync(database, waves, "SELECT * FROM wave_control", r => AzureTableWaveStateStore.ToEntity(
            Str(r, "wave_id")!, Str(r, "state")!, Str(r, "start_date"), IsoMs(Str(r, "updated_at")) ?? 0, Str(r, "updated_by")), cancellationToken);
        await CopyAsync(database, waves, "SELECT * FROM command_sends", r => AzureTableWaveStateStore.ToSendNowEntity(
            Str(r, "request_id")!, Str(r, "wave_id")!, Str(r, "message_id")!, Str(r, "department_ids")!, Str(r, "requested_by")!, IsoMs(Str(r, "created_at")) ?? 0), cancellationToken);
        var confirmationCount = await CopyAsync(database, confirmations, "SELECT * FROM command_confirmations", r => new TableEntity(AzureTableConfirmationStore.PartitionKey, Str(r, "id")!)
        {
            ["Command"] = Str(r, "command"), ["Recipients"] = (int?)Long(r, "recipients"), ["RequestedBy"] = Str(r, "requested_by"),
            ["RequestedByName"] = Str(r, "requested_by_name"), ["CreatedAt"] = IsoMs(Str(r, "created_at")), ["ExpiresAt"] = IsoMs(Str(r, "expires_at")),
            ["State"] = Str(r, "state"), ["DecidedBy"] = Str(r, "decided_by"), ["DecidedByName"] = Str(r, "decided_by_name"),
            ["DecidedAt"] = IsoMs(Str(r, "decided_at")), ["Result"] = Str(r, "result"),
        }, cancellationToken);
        var auditCount = await CopyAsync(database, audit, "SELECT * FROM command_audit", r => AzureTableAuditLog.ToEntity(
            new AuditEntry(DateTimeOffset.Parse(Str(r, "at")!, CultureInfo.InvariantCulture), Str(r, "user_aad_object_id"), Str(r, "user_name"),
                Str(r, "conversation_type"), Str(r, "command")!, Str(r, "result")!, Str(r, "detail")),
            AzureTableAuditLog.Suffix(Long(r, "id") ?? 0, "sqlite")), cancellationToken);

        var feedback = new AzureTableFeedbackStore(service, tablePrefix, TimeProvider.System);
        var answerCount = await CopyAsync(database, feedback.Answers, """
            SELECT a.*, s.correlation_id, s.item_id, s.post_started, s.synced_version, s.attempts, s.next_attempt_at, s.last_error
            FROM feedback_answers a JOIN feedback_sync s ON s.survey_id = a.survey_id AND s.user_aad_object_id = a.user_aad_object_id
            """, r => new TableEntity(Encode(Str(r, "survey_id")!), AzureTableFeedbackStore.AnswerRow(Str(r, "user_aad_object_id")!))
        {
            ["Kind"] = "answer", ["SurveyId"] = Str(r, "survey_id"), ["UserAadObjectId"] = Str(r, "user_aad_object_id"), ["UserId"] = Str(r, "user_id"),
            ["UserName"] = Str(r, "user_name"), ["Locale"] = Str(r, "locale"), ["WaveId"] = Str(r, "wave_id"), ["DepartmentId"] = Str(r, "department_id"),
            ["MessageId"] = Str(r, "message_id"), ["AnswerJson"] = Str(r, "answer_json"), ["Version"] = (int)Long(r, "version")!.Value,
            ["FirstSubmittedAt"] = IsoTicks(Str(r, "first_submitted_at")), ["UpdatedAt"] = IsoTicks(Str(r, "updated_at")),
            ["CorrelationId"] = Str(r, "correlation_id"), ["ItemId"] = Str(r, "item_id"), ["PostStarted"] = Long(r, "post_started") == 1,
            ["SyncedVersion"] = (int)(Long(r, "synced_version") ?? 0), ["Attempts"] = (int)(Long(r, "attempts") ?? 0),
            ["NextAttemptAt"] = IsoTicks(Str(r, "next_attempt_at")), ["LastError"] = Str(r, "last_error"),
            ["SyncPending"] = (Long(r, "synced_version") ?? 0) < Long(r, "version"),
        }, cancellationToken);
        await CopyAsync(database, feedback.Answers, "SELECT * FROM feedback_answer_history", r => new TableEntity(Encode(Str(r, "survey_id")!),
            AzureTableFeedbackStore.HistoryRow(Str(r, "user_aad_object_id")!, (int)Long(r, "version")!.Value))
        {
            ["Kind"] = "history", ["Version"] = (int)Long(r, "version")!.Value, ["AnswerJson"] = Str(r, "answer_json"), ["SubmittedAt"] = IsoTicks(Str(r, "submitted_at")),
        }, cancellationToken);
        await CopyAsync(database, feedback.Cards, "SELECT * FROM feedback_card_messages", r =>
        {
            var entity = AzureTableFeedbackStore.ToCardEntity(new SurveyCardMessage(Str(r, "conversation_id")!, Str(r, "activity_id")!, Str(r, "service_url")!,
                Str(r, "conversation_type")!, new SurveyPlacement(Str(r, "survey_id")!, Str(r, "wave_id"), Str(r, "department_id"), Str(r, "message_id")),
                Str(r, "language")!, Str(r, "user_id")), AzureTableFeedbackStore.CardRow(Str(r, "conversation_id")!, Str(r, "activity_id")!), IsoTicks(Str(r, "updated_at")) ?? 0);
            entity["RefreshPending"] = Long(r, "refresh_pending") == 1;
            entity["Generation"] = Long(r, "generation") ?? 0;
            entity["Attempts"] = (int)(Long(r, "attempts") ?? 0);
            entity["NextAttemptAt"] = IsoTicks(Str(r, "next_attempt_at"));
            entity["LastError"] = Str(r, "last_error");
            return entity;
        }, cancellationToken);
        await CopyAsync(database, feedback.Notices, "SELECT * FROM feedback_notices", r => new TableEntity(Encode(Str(r, "kind")!),
            AzureTableFeedbackStore.NoticeRow(Str(r, "scope")!, Str(r, "target")!))
        {
            ["Kind"] = Str(r, "kind"), ["Scope"] = Str(r, "scope"), ["Target"] = Str(r, "target"), ["State"] = Str(r, "state"), ["Detail"] = Str(r, "detail"),
            ["CreatedAt"] = IsoTicks(Str(r, "created_at")), ["UpdatedAt"] = IsoTicks(Str(r, "updated_at")),
        }, cancellationToken);

        var threads = new AzureTableThreadReplyStore(service, tablePrefix, TimeProvider.System).Table;
        var replyCount = await CopyThreadRepliesAsync(database, threads, cancellationToken);

        // Conversations: only those the table lacks, so a reference another instance refreshed since is not set back.
        var missing = await database.QueryAsync("SELECT * FROM conversations", AzureTableConversationStore.FromSqlite, cancellationToken);
        var conversationCount = 0;
        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (entity, ct) =>
        {
            if (await TryAddAsync(conversations, entity, ct))
            {
                await conversationStore.IndexAsync(entity, ct);
                Interlocked.Increment(ref conversationCount);
            }
        });
        return new StateImportCounts(waveCount, confirmationCount, auditCount, conversationCount, answerCount, replyCount);
    }

    /// <summary>Thread roots with their catch-up schedule, replies and the earlier texts of edited replies.</summary>
    private static async Task<int> CopyThreadRepliesAsync(SqliteDatabase database, TableClient table, CancellationToken cancellationToken)
    {
        await CopyAsync(database, table, "SELECT * FROM thread_roots", r =>
        {
            var entity = AzureTableThreadReplyStore.ToRootEntity(new Feedback.Replies.ThreadRoot(Str(r, "root_message_id")!, Str(r, "channel_id")!, Str(r, "team_id"),
                Str(r, "team_aad_group_id"), Str(r, "wave_id")!, Str(r, "department_id")!, Str(r, "message_id")!,
                new DateTimeOffset(IsoTicks(Str(r, "posted_at")) ?? 0, TimeSpan.Zero)));
            entity["LastPolledAt"] = IsoTicks(Str(r, "last_polled_at"));
            entity["NextPollAt"] = IsoTicks(Str(r, "next_poll_at"));
            entity["PollAttempts"] = (int)(Long(r, "poll_attempts") ?? 0);
            entity["PollError"] = Str(r, "poll_error");
            return entity;
        }, cancellationToken);
        var replies = await CopyAsync(database, table, """
            SELECT r.*, s.correlation_id, s.item_id, s.post_started, s.generation, s.synced_generation, s.attempts AS sync_attempts,
                s.next_attempt_at, s.last_error
            FROM thread_replies r LEFT JOIN thread_reply_sync s ON s.reply_id = r.reply_id
            """, r => new TableEntity(AzureTableThreadReplyStore.ReplyPartition, AzureTableThreadReplyStore.ReplyRow(Str(r, "reply_id")!))
        {
            // The reply's SharePoint copy state, when it was queued.
            ["CorrelationId"] = Str(r, "correlation_id"), ["ItemId"] = Str(r, "item_id"), ["PostStarted"] = Long(r, "post_started") == 1,
            ["Generation"] = (int?)Long(r, "generation"), ["SyncedGeneration"] = (int?)Long(r, "synced_generation"),
            ["SyncAttempts"] = (int?)Long(r, "sync_attempts"), ["NextAttemptAt"] = IsoTicks(Str(r, "next_attempt_at")), ["LastError"] = Str(r, "last_error"),
            ["SyncPending"] = Str(r, "correlation_id") is null ? null : Long(r, "synced_generation") < Long(r, "generation"),
            ["ReplyId"] = Str(r, "reply_id"), ["RootMessageId"] = Str(r, "root_message_id"), ["UserAadObjectId"] = Str(r, "user_aad_object_id"),
            ["UserName"] = Str(r, "user_name"), ["WaveId"] = Str(r, "wave_id"), ["DepartmentId"] = Str(r, "department_id"), ["MessageId"] = Str(r, "message_id"),
            ["Text"] = Str(r, "text"), ["Version"] = (int)(Long(r, "version") ?? 1), ["CreatedAt"] = IsoTicks(Str(r, "created_at")),
            ["ModifiedAt"] = IsoTicks(Str(r, "modified_at")), ["DeletedAt"] = IsoTicks(Str(r, "deleted_at")), ["Source"] = Str(r, "source"),
            ["UpdatedAt"] = IsoTicks(Str(r, "updated_at")),
        }, cancellationToken);
        await CopyAsync(database, table, "SELECT * FROM thread_reply_history", r => new TableEntity(AzureTableThreadReplyStore.ReplyPartition,
            AzureTableThreadReplyStore.HistoryRow(Str(r, "reply_id")!, (int)Long(r, "version")!.Value))
        {
            ["Version"] = (int)Long(r, "version")!.Value, ["Text"] = Str(r, "text"), ["ModifiedAt"] = IsoTicks(Str(r, "modified_at")),
        }, cancellationToken);
        return replies;
    }

    private static long? IsoTicks(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value.UtcTicks : null;

    private static long? IsoMs(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value.ToUnixTimeMilliseconds() : null;
}
