using Azure;
using Azure.Data.Tables;
using TeamsRolloutBot.Feedback.Replies;
using static TeamsRolloutBot.Storage.Azure.AzureTables;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>
/// <see cref="IThreadReplyStore"/> on the table <c>&lt;prefix&gt;ThreadReplies</c>, shared by every instance: tracked
/// roots (partition <c>root</c>, with their catch-up schedule) and replies (partition <c>reply</c>: one entity per reply,
/// row <c>r|…</c>, and one per earlier text, row <c>h|…|n</c>). A reply is added with an insert that fails on an existing
/// key and changed with <c>If-Match</c>; an edit writes the earlier text and the new one in one entity group
/// transaction. So the live activity on one instance and the Graph catch-up on another store one reply once, and an
/// edit seen twice is one version. The reply's SharePoint copy state (correlation id, item id, generation) lives in the
/// reply's entity and changes in the same write as the reply; a reply the copy hands out is held by one instance for two
/// minutes (<c>LeaseUntil</c>). Times are UTC ticks.
/// </summary>
public sealed class AzureTableThreadReplyStore(TableServiceClient service, string tablePrefix, TimeProvider time) : IThreadReplyStore
{
    internal const string RootPartition = "root";
    internal const string ReplyPartition = "reply";

    private readonly TableClient _conversations = service.GetTableClient(tablePrefix + "Conversations");

    /// <summary>The table this store uses.</summary>
    public TableClient Table { get; } = service.GetTableClient(tablePrefix + "ThreadReplies");

    public async Task TrackAsync(ThreadRoot root, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (await TryAddAsync(Table, ToRootEntity(root), cancellationToken))
        {
            return;
        }
        await MutateAsync(Table, RootPartition, Encode(root.RootMessageId), e =>
        {
            if (e.GetString("TeamAadGroupId") is not null || root.TeamAadGroupId is null)
            {
                return false;
            }
            e["TeamAadGroupId"] = root.TeamAadGroupId;
            return true;
        }, cancellationToken);
    }

    public async Task LearnTeamGroupAsync(string rootMessageId, string aadGroupId, CancellationToken cancellationToken)
    {
        if (await GetAsync(Table, RootPartition, Encode(rootMessageId), cancellationToken) is not { } root)
        {
            return;
        }
        var rows = new List<string> { root.RowKey };
        if (root.GetString("TeamId") is { } teamId)
        {
            rows.AddRange((await QueryAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {RootPartition} and TeamId eq {teamId}"), cancellationToken, ["RowKey"]))
                .Select(e => e.RowKey));
        }
        foreach (var row in rows.Distinct(StringComparer.Ordinal))
        {
            await MutateAsync(Table, RootPartition, row, e =>
            {
                if (e.GetString("TeamAadGroupId") is not null)
                {
                    return false;
                }
                e["TeamAadGroupId"] = aadGroupId;
                return true;
            }, cancellationToken);
        }
    }

    public async Task<ThreadRoot?> FindRootAsync(string rootMessageId, CancellationToken cancellationToken) =>
        await GetAsync(Table, RootPartition, Encode(rootMessageId), cancellationToken) is { } e ? ReadRoot(e) : null;

    public async Task<IReadOnlyList<ThreadRoot>> RootsAsync(CancellationToken cancellationToken) =>
        [.. (await QueryAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {RootPartition}"), cancellationToken))
            .Select(ReadRoot).OrderBy(r => r.PostedAt).ThenBy(r => r.RootMessageId, StringComparer.Ordinal)];

    public async Task<ReplyChange> SaveAsync(IncomingReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (await FindRootAsync(reply.RootMessageId, cancellationToken) is not { } root)
        {
            return ReplyChange.NotTracked;
        }
        // Another instance storing this reply first makes the write fail (409/412): read it again and decide again.
        return await RetryOnConflictAsync(async () =>
        {
            var now = time.GetUtcNow().UtcTicks;
            var current = await GetAsync(Table, ReplyPartition, ReplyRow(reply.ReplyId), cancellationToken);
            if (current is null)
            {
                var entity = new TableEntity(ReplyPartition, ReplyRow(reply.ReplyId))
                {
                    ["ReplyId"] = reply.ReplyId, ["RootMessageId"] = reply.RootMessageId, ["UserAadObjectId"] = reply.AuthorAadObjectId,
                    ["UserName"] = reply.AuthorName, ["WaveId"] = root.WaveId, ["DepartmentId"] = root.DepartmentId, ["MessageId"] = root.MessageId,
                    ["Text"] = reply.Text, ["Version"] = 1, ["CreatedAt"] = reply.CreatedAt.UtcTicks, ["ModifiedAt"] = reply.ModifiedAt.UtcTicks,
                    ["DeletedAt"] = reply.DeletedAt?.UtcTicks, ["Source"] = SourceText(reply.Source), ["UpdatedAt"] = now,
                };
                // A reply first seen already deleted never reaches the list; every other change is copied there.
                if (reply.DeletedAt is null)
                {
                    Queue(entity, now);
                }
                await Table.AddEntityAsync(entity, cancellationToken);
                return reply.DeletedAt is null ? ReplyChange.Added : ReplyChange.Deleted;
            }
            var stored = ReadReply(current);
            if (reply.DeletedAt is { } deletedAt)
            {
                if (stored.DeletedAt is not null)
                {
                    return ReplyChange.Unchanged;
                }
                current["DeletedAt"] = deletedAt.UtcTicks;
                current["UpdatedAt"] = now;
                Queue(current, now);
                await Table.UpdateEntityAsync(current, current.ETag, TableUpdateMode.Replace, cancellationToken);
                return ReplyChange.Deleted;
            }
            // A Graph copy that was never edited (modified = created) does not replace a stored text: the live and the
            // Graph rendering of one message may differ in markup, and that is not an edit.
            if (stored.DeletedAt is null && reply.Text != stored.Text && reply.ModifiedAt >= stored.ModifiedAt
                && !(reply.Source == ReplySource.Graph && reply.ModifiedAt <= reply.CreatedAt))
            {
                var history = new TableEntity(ReplyPartition, HistoryRow(stored.ReplyId, stored.Version))
                {
                    ["Version"] = stored.Version, ["Text"] = stored.Text, ["ModifiedAt"] = stored.ModifiedAt.UtcTicks,
                };
                current["Text"] = reply.Text;
                current["Version"] = stored.Version + 1;
                current["ModifiedAt"] = reply.ModifiedAt.UtcTicks;
                current["UpdatedAt"] = now;
                Queue(current, now);
                if (reply.AuthorName is not null)
                {
                    current["UserName"] = reply.AuthorName;
                }
                if (reply.AuthorAadObjectId is not null)
                {
                    current["UserAadObjectId"] = reply.AuthorAadObjectId;
                }
                await Table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, history),
                    new TableTransactionAction(TableTransactionActionType.UpdateReplace, current, current.ETag),
                ], cancellationToken);
                return ReplyChange.Edited;
            }
            return ReplyChange.Unchanged;
        }, cancellationToken);
    }

    public async Task<bool> MarkDeletedAsync(string replyId, DateTimeOffset deletedAt, CancellationToken cancellationToken)
    {
        if (await GetAsync(Table, ReplyPartition, ReplyRow(replyId), cancellationToken) is null)
        {
            return false;
        }
        await MutateAsync(Table, ReplyPartition, ReplyRow(replyId), e =>
        {
            if (e.GetInt64("DeletedAt") is not null)
            {
                return false;
            }
            var now = time.GetUtcNow().UtcTicks;
            e["DeletedAt"] = deletedAt.UtcTicks;
            e["UpdatedAt"] = now;
            Queue(e, now);
            return true;
        }, cancellationToken);
        return true;
    }

    public async Task<StoredReply?> FindAsync(string replyId, CancellationToken cancellationToken) =>
        await GetAsync(Table, ReplyPartition, ReplyRow(replyId), cancellationToken) is { } e ? ReadReply(e) : null;

    public async Task<IReadOnlyList<(int Version, string Text, DateTimeOffset ModifiedAt)>> HistoryAsync(string replyId, CancellationToken cancellationToken)
    {
        var prefix = "h|" + Encode(replyId) + "|";
        var list = await QueryAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {ReplyPartition} and RowKey ge {prefix} and RowKey lt {prefix + "~"}"), cancellationToken);
        return [.. list.Select(e => (e.GetInt32("Version")!.Value, e.GetString("Text"), Ticks(e, "ModifiedAt"))).OrderBy(h => h.Item1)];
    }

    public async Task<IReadOnlyList<StoredReply>> ListAsync(string? waveId = null, string? departmentId = null, bool includeDeleted = false, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ReplyPartition} and RowKey ge {"r|"} and RowKey lt {"r|~"}");
        if (waveId is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"WaveId eq {waveId}");
        }
        if (departmentId is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"DepartmentId eq {departmentId}");
        }
        var list = await QueryAsync(Table, filter, cancellationToken);
        return [.. list.Select(ReadReply).Where(r => includeDeleted || r.DeletedAt is null)
            .OrderByDescending(r => r.CreatedAt).ThenBy(r => r.ReplyId, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<ReplySyncWork>> DueSyncAsync(int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var list = await QueryAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {ReplyPartition} and SyncPending eq {true} and NextAttemptAt le {now.UtcTicks}"), cancellationToken);
        // Every instance runs the copy: each reply handed out is held by one instance for a while (see AzureTables.ClaimAsync).
        return [.. (await ClaimAsync(Table, list.OrderBy(e => e.GetInt64("NextAttemptAt")), limit, now, cancellationToken)).Select(ReadSync)];
    }

    public async Task<ReplySyncWork?> FindSyncAsync(string replyId, CancellationToken cancellationToken) =>
        await GetAsync(Table, ReplyPartition, ReplyRow(replyId), cancellationToken) is { } e && e.GetString("CorrelationId") is not null ? ReadSync(e) : null;

    public Task MarkSyncPostStartedAsync(string replyId, CancellationToken cancellationToken) =>
        MutateSyncAsync(replyId, e => e["PostStarted"] = true, cancellationToken);

    public Task SetSyncItemIdAsync(string replyId, string? itemId, CancellationToken cancellationToken) =>
        MutateSyncAsync(replyId, e =>
        {
            e["ItemId"] = itemId;
            if (itemId is null)
            {
                e["PostStarted"] = false;
            }
        }, cancellationToken);

    public Task MarkSyncedAsync(string replyId, string? itemId, int generation, CancellationToken cancellationToken) =>
        MutateSyncAsync(replyId, e =>
        {
            if (itemId is not null)
            {
                e["ItemId"] = itemId;
            }
            var synced = Math.Max(e.GetInt32("SyncedGeneration") ?? 0, generation);
            e["SyncedGeneration"] = synced;
            e["SyncPending"] = synced < (e.GetInt32("Generation") ?? 0);
            e["SyncAttempts"] = 0;
            e["LastError"] = null;
            e["LeaseUntil"] = null;
        }, cancellationToken);

    public Task MarkSyncFailedAsync(string replyId, string failure, DateTimeOffset nextAttempt, CancellationToken cancellationToken) =>
        MutateSyncAsync(replyId, e =>
        {
            e["SyncAttempts"] = (e.GetInt32("SyncAttempts") ?? 0) + 1;
            e["LastError"] = failure.Length > 500 ? failure[..500] : failure;
            e["NextAttemptAt"] = nextAttempt.UtcTicks;
            e["LeaseUntil"] = null;
        }, cancellationToken);

    public async Task<IReadOnlyDictionary<string, (string? ItemId, bool Synced)>> SyncStatesAsync(CancellationToken cancellationToken)
    {
        var list = await QueryAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {ReplyPartition} and CorrelationId ne {""}"), cancellationToken,
            ["ReplyId", "ItemId", "Generation", "SyncedGeneration"]);
        return list.ToDictionary(e => e.GetString("ReplyId"), e => ((string?)e.GetString("ItemId"), (e.GetInt32("SyncedGeneration") ?? 0) >= (e.GetInt32("Generation") ?? 0)),
            StringComparer.Ordinal);
    }

    public async Task<(int Synced, int Pending, int Failing)> SyncCountsAsync(CancellationToken cancellationToken)
    {
        var list = await QueryAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {ReplyPartition} and CorrelationId ne {""}"), cancellationToken,
            ["Generation", "SyncedGeneration", "SyncAttempts"]);
        bool Synced(TableEntity e) => (e.GetInt32("SyncedGeneration") ?? 0) >= (e.GetInt32("Generation") ?? 0);
        return (list.Count(Synced), list.Count(e => !Synced(e) && (e.GetInt32("SyncAttempts") ?? 0) == 0),
            list.Count(e => !Synced(e) && (e.GetInt32("SyncAttempts") ?? 0) > 0));
    }

    public Task DeferPollAsync(string rootMessageId, DateTimeOffset nextPollAt, string reason, CancellationToken cancellationToken) =>
        MutateAsync(Table, RootPartition, Encode(rootMessageId), e =>
        {
            e["NextPollAt"] = nextPollAt.UtcTicks;
            e["PollError"] = reason;
            return true;
        }, cancellationToken);

    public Task RecordPollAsync(string rootMessageId, DateTimeOffset nextPollAt, string? failure, CancellationToken cancellationToken) =>
        MutateAsync(Table, RootPartition, Encode(rootMessageId), e =>
        {
            if (failure is null)
            {
                e["LastPolledAt"] = time.GetUtcNow().UtcTicks;
                e["PollAttempts"] = 0;
                e["PollError"] = null;
            }
            else
            {
                e["PollAttempts"] = (e.GetInt32("PollAttempts") ?? 0) + 1;
                e["PollError"] = failure;
            }
            e["NextPollAt"] = nextPollAt.UtcTicks;
            return true;
        }, cancellationToken);

    public async Task<IReadOnlyList<(ThreadRoot Root, int Attempts)>> DueForPollAsync(DateTimeOffset now, CancellationToken cancellationToken, bool startUp = false)
    {
        var roots = await QueryAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {RootPartition}"), cancellationToken);
        // At start-up also the roots read successfully before (replies may have come while the bot was down); roots waiting
        // out a Graph failure keep waiting.
        var due = roots.Where(e => e.GetInt64("NextPollAt") is not { } next || next <= now.UtcTicks || (startUp && (e.GetInt32("PollAttempts") ?? 0) == 0))
            .OrderBy(e => e.GetInt64("PostedAt")).ToList();
        var list = new List<(ThreadRoot, int)>(due.Count);
        var groups = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var e in due)
        {
            var root = ReadRoot(e);
            // The team's group id may be known from a conversation reference of the team (learned from Teams) only.
            if (root.TeamAadGroupId is null && root.TeamId is { } teamId)
            {
                if (!groups.TryGetValue(teamId, out var group))
                {
                    group = (await QueryAsync(_conversations, TableClient.CreateQueryFilter($"TeamId eq {teamId}"), cancellationToken, ["TeamAadGroupId"]))
                        .Select(c => c.GetString("TeamAadGroupId")).FirstOrDefault(g => g is not null);
                    groups[teamId] = group;
                }
                root = root with { TeamAadGroupId = group };
            }
            list.Add((root, e.GetInt32("PollAttempts") ?? 0));
        }
        return list;
    }

    /// <summary>
    /// Queues a reply's current state for the list (in the same write as the change): the first change fixes the
    /// correlation id before any POST, later ones count up the generation. A running Retry-After wait is kept.
    /// </summary>
    private static void Queue(TableEntity e, long now)
    {
        if (e.GetString("CorrelationId") is null)
        {
            e["CorrelationId"] = IThreadReplyStore.CorrelationPrefix + e.GetString("ReplyId");
            e["Generation"] = 1;
            e["SyncedGeneration"] = 0;
            e["SyncAttempts"] = 0;
            e["PostStarted"] = false;
            e["NextAttemptAt"] = now;
        }
        else
        {
            e["Generation"] = (e.GetInt32("Generation") ?? 0) + 1;
            e["NextAttemptAt"] = Math.Max(e.GetInt64("NextAttemptAt") ?? now, now);
        }
        e["SyncPending"] = (e.GetInt32("SyncedGeneration") ?? 0) < e.GetInt32("Generation");
    }

    private Task<bool> MutateSyncAsync(string replyId, Action<TableEntity> change, CancellationToken cancellationToken) =>
        MutateAsync(Table, ReplyPartition, ReplyRow(replyId), e =>
        {
            if (e.GetString("CorrelationId") is null)
            {
                return false;
            }
            change(e);
            e["SyncUpdatedAt"] = time.GetUtcNow().UtcTicks;
            return true;
        }, cancellationToken);

    private static ReplySyncWork ReadSync(TableEntity e) => new(
        ReadReply(e), e.GetString("CorrelationId"), e.GetString("ItemId"), e.GetBoolean("PostStarted") == true, e.GetInt32("Generation") ?? 0,
        e.GetInt32("SyncAttempts") ?? 0, e.GetString("LastError"));

    internal static string ReplyRow(string replyId) => "r|" + Encode(replyId);

    internal static string HistoryRow(string replyId, int version) =>
        "h|" + Encode(replyId) + "|" + version.ToString("D9", System.Globalization.CultureInfo.InvariantCulture);

    internal static TableEntity ToRootEntity(ThreadRoot root) => new(RootPartition, Encode(root.RootMessageId))
    {
        ["RootMessageId"] = root.RootMessageId, ["ChannelId"] = root.ChannelId, ["TeamId"] = root.TeamId, ["TeamAadGroupId"] = root.TeamAadGroupId,
        ["WaveId"] = root.WaveId, ["DepartmentId"] = root.DepartmentId, ["MessageId"] = root.MessageId, ["PostedAt"] = root.PostedAt.UtcTicks,
        ["NextPollAt"] = root.PostedAt.UtcTicks, ["PollAttempts"] = 0,
    };

    internal static string SourceText(ReplySource source) => source == ReplySource.Graph ? "graph" : "live";

    private static ThreadRoot ReadRoot(TableEntity e) => new(
        e.GetString("RootMessageId"), e.GetString("ChannelId"), e.GetString("TeamId"), e.GetString("TeamAadGroupId"),
        e.GetString("WaveId"), e.GetString("DepartmentId"), e.GetString("MessageId"), Ticks(e, "PostedAt"));

    private static StoredReply ReadReply(TableEntity e) => new(
        e.GetString("ReplyId"), e.GetString("RootMessageId"), e.GetString("UserAadObjectId"), e.GetString("UserName"),
        e.GetString("WaveId"), e.GetString("DepartmentId"), e.GetString("MessageId"), e.GetString("Text"), e.GetInt32("Version")!.Value,
        Ticks(e, "CreatedAt"), Ticks(e, "ModifiedAt"), e.GetInt64("DeletedAt") is { } deleted ? new DateTimeOffset(deleted, TimeSpan.Zero) : null,
        e.GetString("Source") == "graph" ? ReplySource.Graph : ReplySource.Live);

    private static DateTimeOffset Ticks(TableEntity e, string key) => new(e.GetInt64(key)!.Value, TimeSpan.Zero);
}
