using Azure.Data.Tables;
using TeamsRolloutBot.Protocol;
using static TeamsRolloutBot.Storage.Azure.AzureTables;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>
/// <see cref="IConversationStore"/> on the table <c>&lt;prefix&gt;Conversations</c>, the same table the
/// <see cref="AzureTableDeliveryStore"/> reads: a reference one instance learns from Teams is used by every instance.
/// Every change is read, change, write with <c>If-Match</c>, retried on 412; claiming the welcome is conditional, so one
/// instance posts it. Each save also records the newest serviceUrl (setting <c>latestServiceUrl</c> in <c>&lt;prefix&gt;Settings</c>).
/// </summary>
public sealed class AzureTableConversationStore(TableServiceClient service, string tablePrefix, TimeProvider time) : IConversationStore
{
    internal const string Partition = "conv";
    private const string Meta = "meta";
    private const string LatestServiceUrl = "latestServiceUrl";

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
        await _settings.UpsertEntityAsync(new TableEntity(Meta, LatestServiceUrl) { ["Value"] = reference.ServiceUrl, ["UpdatedAt"] = now },
            TableUpdateMode.Replace, cancellationToken);
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
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and ConversationType eq {"personal"} and AadLower eq {userAadObjectId.ToLowerInvariant()}");
        var list = await QueryAsync(Table, filter, cancellationToken);
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
