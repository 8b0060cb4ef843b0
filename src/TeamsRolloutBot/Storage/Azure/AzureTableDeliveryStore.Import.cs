using System.Globalization;
using Azure.Data.Tables;
using TeamsRolloutBot.Storage.Sqlite;
using static TeamsRolloutBot.Storage.Azure.AzureTables;
using static TeamsRolloutBot.Storage.Azure.SqliteImport;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>The one-time copy of a SQLite deployment's delivery state into the tables (migration to AzureStorage).</summary>
public sealed partial class AzureTableDeliveryStore
{
    /// <summary>Setting that records which start copied the SQLite file; present means the copy was claimed.</summary>
    public const string ImportMarker = "sqlite-import";

    /// <summary>
    /// Copies planned sends (with their states), the outbox and delivery log, status cards, delivery settings and
    /// conversation references from the SQLite file, unless a copy was claimed before (by any instance). Returns
    /// (sends, jobs) copied, or null when another start already claimed the copy.
    /// </summary>
    public async Task<(int Sends, int Jobs)?> ImportFromSqliteOnceAsync(SqliteDatabase database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var claim = Guid.NewGuid().ToString("N");
        if (await GetOrAddSettingAsync(ImportMarker, claim, cancellationToken) != claim)
        {
            return null;
        }
        var sends = await CopyAsync(database, _sends, "SELECT * FROM planned_sends", r => new TableEntity(Sends, Encode(Str(r, "send_key")!))
        {
            ["SendKey"] = Str(r, "send_key"), ["WaveId"] = Str(r, "wave_id"), ["MessageId"] = Str(r, "message_id"),
            ["DepartmentId"] = Str(r, "department_id"), ["Audience"] = Str(r, "audience"), ["DueAt"] = Long(r, "due_at"),
            ["Template"] = Str(r, "template"), ["Phase"] = Str(r, "phase"), ["Subject"] = Str(r, "subject"), ["State"] = Str(r, "state"),
            ["JobCount"] = (int)(Long(r, "job_count") ?? 0), ["Detail"] = Str(r, "detail"), ["ReportedAt"] = Long(r, "reported_at"), ["Content"] = Str(r, "content"),
            ["UpdatedAt"] = Long(r, "updated_at"),
        }, cancellationToken);
        var jobs = await CopyAsync(database, _jobs, "SELECT * FROM outbox", r => new TableEntity(Jobs, Encode(Str(r, "job_key")!))
        {
            ["JobKey"] = Str(r, "job_key"), ["SendKey"] = Str(r, "send_key"), ["WaveId"] = Str(r, "wave_id"), ["MessageId"] = Str(r, "message_id"),
            ["DepartmentId"] = Str(r, "department_id"), ["Kind"] = Str(r, "kind"), ["Target"] = Str(r, "target"), ["Language"] = Str(r, "language"),
            // SQLite keeps only the current due time (a lease moves it); it is the best planned time there is.
            ["PlannedAt"] = Long(r, "due_at"), ["DueAt"] = Long(r, "due_at"), ["State"] = Str(r, "state"), ["LeaseOwner"] = Str(r, "lease_owner"),
            ["Attempts"] = (int)(Long(r, "attempts") ?? 0), ["InstallRequested"] = Long(r, "install_requested") == 1,
            ["Outcome"] = Str(r, "outcome"), ["Detail"] = Str(r, "detail"), ["StatusCode"] = (int?)Long(r, "status_code"),
            ["ConversationId"] = Str(r, "conversation_id"), ["ActivityId"] = Str(r, "activity_id"),
            ["CreatedAt"] = Long(r, "created_at"), ["UpdatedAt"] = Long(r, "updated_at"),
        }, cancellationToken);
        await CopyAsync(database, _cards, "SELECT * FROM progress_cards", r => new TableEntity(
            Encode(Str(r, "wave_id") + "\n" + Str(r, "message_id")), Encode(Str(r, "lead_id")!))
        {
            ["ConversationId"] = Str(r, "conversation_id"), ["ServiceUrl"] = Str(r, "service_url"), ["ActivityId"] = Str(r, "activity_id"),
            ["Final"] = Long(r, "final") == 1, ["UpdatedAt"] = Long(r, "updated_at"),
        }, cancellationToken);
        await CopyAsync(database, _settings, $"SELECT * FROM delivery_settings WHERE key <> '{ImportMarker}'",
            r => new TableEntity(Meta, Encode(Str(r, "key")!)) { ["Value"] = Str(r, "value") }, cancellationToken);
        string? latest = null;
        long latestAt = long.MinValue;
        var copied = new List<TableEntity>();
        await CopyAsync(database, _conversations, "SELECT * FROM conversations", r =>
        {
            var entity = AzureTableConversationStore.FromSqlite(r);
            var updated = entity.GetInt64("UpdatedAt") ?? 0;
            if (updated >= latestAt)
            {
                (latest, latestAt) = (entity.GetString("ServiceUrl"), updated);
            }
            copied.Add(entity);
            return entity;
        }, cancellationToken);
        foreach (var conversation in copied)
        {
            await _conversationStore.IndexAsync(conversation, cancellationToken);
        }
        if (latest is not null)
        {
            await _settings.UpsertEntityAsync(new TableEntity(Meta, "latestServiceUrl") { ["Value"] = latest, ["UpdatedAt"] = latestAt },
                TableUpdateMode.Replace, cancellationToken);
        }
        return (sends, jobs);
    }
}
