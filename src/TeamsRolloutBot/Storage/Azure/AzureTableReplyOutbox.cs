using Azure.Data.Tables;
using static TeamsRolloutBot.Storage.Azure.AzureTables;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>
/// <see cref="IReplyOutbox"/> on the table <c>&lt;prefix&gt;Replies</c> (one partition). Leasing writes the new due time
/// with <c>If-Match</c> on the entity it read: of two instances taking the same reply, one gets it.
/// </summary>
public sealed class AzureTableReplyOutbox(TableServiceClient service, string tablePrefix) : IReplyOutbox
{
    private const string Partition = "reply";

    /// <summary>The table this store uses.</summary>
    public TableClient Table { get; } = service.GetTableClient(tablePrefix + "Replies");

    public Task AddAsync(PendingReply reply, CancellationToken cancellationToken) =>
        TryAddAsync(Table, new TableEntity(Partition, Encode(reply.Id))
        {
            ["Id"] = reply.Id, ["ServiceUrl"] = reply.ServiceUrl, ["ConversationId"] = reply.ConversationId, ["ReplyToId"] = reply.ReplyToId,
            ["Activity"] = reply.ActivityJson, ["Attempts"] = reply.Attempts, ["DueAt"] = Ms(reply.DueUtc), ["CreatedAt"] = Ms(reply.CreatedUtc),
            ["LastError"] = reply.LastError,
        }, cancellationToken);

    public async Task<IReadOnlyList<PendingReply>> LeaseDueAsync(DateTimeOffset nowUtc, int max, TimeSpan leaseFor, CancellationToken cancellationToken)
    {
        var due = await QueryAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and DueAt le {Ms(nowUtc)}"), cancellationToken);
        var leased = new List<PendingReply>();
        foreach (var entity in due.OrderBy(e => e.GetInt64("DueAt")).ThenBy(e => e.GetInt64("CreatedAt")))
        {
            if (leased.Count >= max)
            {
                break;
            }
            entity["DueAt"] = Ms(nowUtc + leaseFor);
            if (await TryReplaceAsync(Table, entity, cancellationToken))
            {
                leased.Add(Read(entity));
            }
        }
        return leased;
    }

    public async Task RemoveAsync(string id, CancellationToken cancellationToken) =>
        await Table.DeleteEntityAsync(Partition, Encode(id), cancellationToken: cancellationToken);

    public Task RescheduleAsync(string id, DateTimeOffset dueUtc, string reason, CancellationToken cancellationToken) =>
        MutateAsync(Table, Partition, Encode(id), e =>
        {
            e["Attempts"] = (e.GetInt32("Attempts") ?? 0) + 1;
            e["DueAt"] = Ms(dueUtc);
            e["LastError"] = reason;
            return true;
        }, cancellationToken);

    public async Task<int> CountAsync(CancellationToken cancellationToken) =>
        (await QueryAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken, select: ["RowKey"])).Count;

    private static PendingReply Read(TableEntity e) => new(
        e.GetString("Id"), e.GetString("ServiceUrl"), e.GetString("ConversationId"), e.GetString("ReplyToId"), e.GetString("Activity"),
        e.GetInt32("Attempts") ?? 0, FromMs(e.GetInt64("DueAt")!.Value), FromMs(e.GetInt64("CreatedAt")!.Value), e.GetString("LastError"));
}
