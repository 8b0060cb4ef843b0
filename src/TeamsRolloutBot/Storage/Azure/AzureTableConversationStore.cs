using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Data.Sqlite;
using TeamsRolloutBot.Protocol;
using static TeamsRolloutBot.Storage.Azure.AzureTables;
using static TeamsRolloutBot.Storage.Azure.SqliteImport;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>
/// <see cref="IConversationStore"/> on the table <c>&lt;prefix&gt;Conversations</c>, the same table the
/// <see cref="AzureTableDeliveryStore"/> reads: a reference one instance learns from Teams is used by every instance.
/// Every change is read, change, write with <c>If-Match</c>, retried on 412; claiming the welcome is conditional, so one
/// instance posts it. Each save also records the newest serviceUrl (setting <c>latestServiceUrl</c> in <c>&lt;prefix&gt;Settings</c>).
/// A personal chat is also indexed by its user (partition <c>user-&lt;object id&gt;</c>, one row per conversation id), so
/// finding a user's chat, once per recipient of a fan-out, is a partition read, not a scan of every conversation.
/// </summary>
public sealed class AzureTableConversationStore(TableServiceClient service, string tablePrefix, TimeProvider time) : IConversationStore
{
    internal const string Partition = "conv";
    private const string Meta = "meta";
    private const string LatestServiceUrl = "latestServiceUrl";
    private const string UserIndexMarker = "conversation-user-index";
    private readonly Lock _indexLock = new();
    private Task? _indexing;

    private readonly TableClient _settings = service.GetTableClient(tablePrefix + "Settings");

    /// <summary>The table this store uses.</summary>
    public TableClient Table { get; } = service.GetTableClient(tablePrefix + "Conversations");

    /// <summary>Stores or refreshes a reference; fields the new one lacks keep their stored values (as in SQLite's COALESCE).</summary>
    public async Task UpsertAsync(ConversationReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var now = Ms(time.GetUtcNow());
        var fresh = new TableEntity(Partition, Encode(reference.ConversationId))
        {
            ["ConversationId"] = reference.ConversationId, ["ChannelId"] = reference.ChannelId, ["ServiceUrl"] = reference.ServiceUrl,
            ["ConversationType"] = reference.ConversationType, ["TenantId"] = reference.TenantId, ["BotId"] = reference.BotId,
            ["UserId"] = reference.UserId, ["UserAadObjectId"] = reference.UserAadObjectId, ["AadLower"] = reference.UserAadObjectId?.ToLowerInvariant(),
            ["TeamId"] = reference.TeamId, ["TeamAadGroupId"] = reference.TeamAadGroupId, ["TeamChannelId"] = reference.ChannelIdInTeam,
            ["Locale"] = reference.Locale, ["Installed"] = true, ["UpdatedAt"] = now,
        };
        if (!await TryAddAsync(Table, fresh, cancellationToken))
        {
            await MutateAsync(Table, Partition, fresh.RowKey, e =>
            {
                foreach (var (key, value) in fresh)
                {
                    if (value is not null && key is not ("PartitionKey" or "RowKey" or "odata.etag" or "Timestamp"))
                    {
                        e[key] = value;
                    }
                }
                return true;
            }, cancellationToken);
        }
        await IndexAsync(fresh, cancellationToken);
        await _settings.UpsertEntityAsync(new TableEntity(Meta, LatestServiceUrl) { ["Value"] = reference.ServiceUrl, ["UpdatedAt"] = now },
            TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Adds a personal conversation to its user's index (idempotent); other conversations are left alone.</summary>
    internal async Task IndexAsync(TableEntity conversation, CancellationToken cancellationToken)
    {
        if (conversation.GetString("ConversationType") == "personal" && conversation.GetString("AadLower") is { Length: > 0 } user)
        {
            await Table.UpsertEntityAsync(new TableEntity(UserPartition(user), conversation.RowKey), TableUpdateMode.Replace, cancellationToken);
        }
    }

    /// <summary>The conversation row of the SQLite <c>conversations</c> table, as the one-time imports copy it.</summary>
    internal static TableEntity FromSqlite(SqliteDataReader r) => new(Partition, Encode(Str(r, "conversation_id")!))
    {
        ["ConversationId"] = Str(r, "conversation_id"), ["ChannelId"] = Str(r, "channel_id"), ["ServiceUrl"] = Str(r, "service_url"),
        ["ConversationType"] = Str(r, "conversation_type"), ["TenantId"] = Str(r, "tenant_id"), ["BotId"] = Str(r, "bot_id"),
        ["UserId"] = Str(r, "user_id"), ["UserAadObjectId"] = Str(r, "user_aad_object_id"),
        ["AadLower"] = Str(r, "user_aad_object_id")?.ToLowerInvariant(), ["TeamId"] = Str(r, "team_id"),
        ["TeamAadGroupId"] = Str(r, "team_aad_group_id"), ["TeamChannelId"] = Str(r, "team_channel_id"), ["Locale"] = Str(r, "locale"),
        ["Installed"] = Long(r, "installed") == 1, ["WelcomedAt"] = IsoMs(Str(r, "welcomed_at")), ["UpdatedAt"] = IsoMs(Str(r, "updated_at")) ?? 0,
    };

    internal static long? IsoMs(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value.ToUnixTimeMilliseconds() : null;

    private static string UserPartition(string userAadObjectId) => "user-" + Encode(userAadObjectId.ToLowerInvariant());

    /// <summary>
    /// Once per table (marker in Settings): indexes the personal chats written before the index existed. Runs before the
    /// first lookup of each process; an instance that finds the marker skips it.
    /// </summary>
    private Task EnsureIndexedAsync(CancellationToken cancellationToken)
    {
        lock (_indexLock)
        {
            if (_indexing is null || _indexing.IsFaulted || _indexing.IsCanceled)
            {
                _indexing = IndexExistingAsync(CancellationToken.None);
            }
            return _indexing.WaitAsync(cancellationToken);
        }
    }

    private async Task IndexExistingAsync(CancellationToken cancellationToken)
    {
        if (await GetAsync(_settings, Meta, UserIndexMarker, cancellationToken) is not null)
        {
            return;
        }
        var personal = await QueryAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and ConversationType eq {"personal"}"), cancellationToken);
        await Parallel.ForEachAsync(personal, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (conversation, ct) => await IndexAsync(conversation, ct));
        await _settings.UpsertEntityAsync(new TableEntity(Meta, UserIndexMarker) { ["Value"] = personal.Count }, TableUpdateMode.Replace, cancellationToken);
    }

    public Task<bool> TryClaimWelcomeAsync(string conversationId, CancellationToken cancellationToken) =>
        MutateAsync(Table, Partition, Encode(conversationId), e =>
        {
            if (e.GetInt64("WelcomedAt") is not null)
            {
                return false;
            }
            e["WelcomedAt"] = Ms(time.GetUtcNow());
            return true;
        }, cancellationToken);

    public Task ReleaseWelcomeAsync(string conversationId, CancellationToken cancellationToken) =>
        MutateAsync(Table, Partition, Encode(conversationId), e =>
        {
            e["WelcomedAt"] = null;
            return true;
        }, cancellationToken);

    public Task MarkUninstalledAsync(string conversationId, CancellationToken cancellationToken) =>
        MutateAsync(Table, Partition, Encode(conversationId), e =>
        {
            e["Installed"] = false;
            e["WelcomedAt"] = null;
            e["UpdatedAt"] = Ms(time.GetUtcNow());
            return true;
        }, cancellationToken);

    public async Task<StoredConversation?> FindAsync(string conversationId, CancellationToken cancellationToken) =>
        await GetAsync(Table, Partition, Encode(conversationId), cancellationToken) is { } e ? Read(e) : null;

    /// <summary>The user's personal conversation (object id in any case): an installed one before an uninstalled one, then the newest.</summary>
    public async Task<StoredConversation?> FindPersonalAsync(string userAadObjectId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userAadObjectId);
        await EnsureIndexedAsync(cancellationToken);
        var index = await QueryAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {UserPartition(userAadObjectId)}"), cancellationToken, ["RowKey"]);
        var list = new List<TableEntity>(index.Count);
        foreach (var row in index)
        {
            if (await GetAsync(Table, Partition, row.RowKey, cancellationToken) is { } conversation)
            {
                list.Add(conversation);
            }
        }
        return list.Count == 0 ? null
            : Read(list.OrderByDescending(e => e.GetBoolean("Installed") == true).ThenByDescending(e => e.GetInt64("UpdatedAt")).First());
    }

    /// <summary>The serviceUrl of the most recently saved conversation, or null.</summary>
    public async Task<string?> LatestServiceUrlAsync(CancellationToken cancellationToken) =>
        (await GetAsync(_settings, Meta, LatestServiceUrl, cancellationToken))?.GetString("Value");

    private static StoredConversation Read(TableEntity e) => new(
        new ConversationReference(e.GetString("ChannelId"), e.GetString("ServiceUrl"), e.GetString("ConversationId"), e.GetString("ConversationType"),
            e.GetString("TenantId"), e.GetString("BotId"), e.GetString("UserId"), e.GetString("UserAadObjectId"), e.GetString("TeamId"),
            e.GetString("TeamAadGroupId"), e.GetString("TeamChannelId"), e.GetString("Locale")),
        e.GetBoolean("Installed") == true,
        e.GetInt64("WelcomedAt") is { } welcomed ? FromMs(welcomed) : null);
}
