using Azure;
using Azure.Data.Tables;
using static TeamsRolloutBot.Storage.Azure.AzureTables;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>
/// <see cref="IInboundActivityLog"/> on the table <c>&lt;prefix&gt;Inbound</c>: a claim is an insert that fails on an
/// existing key, so when Teams redelivers an activity to another instance (or two instances get it at once) exactly
/// one handles it. Entries older than a day are pruned now and then, like the SQLite log.
/// </summary>
public sealed class AzureTableInboundActivityLog(TableServiceClient service, string tablePrefix, TimeProvider time) : IInboundActivityLog
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(1);
    private long _claims;

    /// <summary>The table this store uses.</summary>
    public TableClient Table { get; } = service.GetTableClient(tablePrefix + "Inbound");

    public async Task<bool> TryClaimAsync(string channelId, string conversationId, string activityId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var claimed = await TryAddAsync(Table, new TableEntity(Encode(conversationId), Encode(channelId + "\n" + activityId))
        {
            ["ChannelId"] = channelId, ["ActivityId"] = activityId, ["ReceivedAt"] = Ms(now),
        }, cancellationToken);
        if (claimed && Interlocked.Increment(ref _claims) % 1000 == 0)
        {
            await PruneAsync(now - Retention, cancellationToken);
        }
        return claimed;
    }

    public async Task ReleaseAsync(string channelId, string conversationId, string activityId, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(Encode(conversationId), Encode(channelId + "\n" + activityId), ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already released (or pruned): nothing to give back.
        }
    }

    /// <summary>Deletes the claims received before <paramref name="before"/>.</summary>
    public async Task PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var old = await QueryAsync(Table, TableClient.CreateQueryFilter($"ReceivedAt lt {Ms(before)}"), cancellationToken, ["PartitionKey", "RowKey"]);
        foreach (var e in old)
        {
            try
            {
                await Table.DeleteEntityAsync(e.PartitionKey, e.RowKey, ETag.All, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Another instance pruned it first.
            }
        }
    }
}
