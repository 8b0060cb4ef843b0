using Azure;
using Azure.Data.Tables;
using TeamsRolloutBot.Delivery;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>
/// <see cref="IInstanceRegistry"/> on the table <c>&lt;prefix&gt;Instances</c>: one entity per running instance with the
/// time it was last seen (its own clock, Unix milliseconds); an instance is live while it was seen within
/// <c>expiry</c> (three heartbeats). Entities of instances gone for much longer are deleted by whoever beats next.
/// </summary>
public sealed class AzureTableInstanceRegistry(TableServiceClient service, string tablePrefix, TimeProvider time, TimeSpan expiry) : IInstanceRegistry
{
    private const string Partition = "instance";
    private readonly TableClient _table = service.GetTableClient(tablePrefix + "Instances");
    private volatile bool _created;

    public async Task<int> HeartbeatAsync(string instanceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        await EnsureCreatedAsync(cancellationToken);
        var now = time.GetUtcNow();
        var key = RowKey(instanceId);
        await _table.UpsertEntityAsync(new TableEntity(Partition, key)
        {
            ["InstanceId"] = instanceId, ["SeenAt"] = now.ToUnixTimeMilliseconds(), ["Machine"] = Environment.MachineName,
        }, TableUpdateMode.Replace, cancellationToken);

        var horizon = (now - expiry).ToUnixTimeMilliseconds();
        var forgotten = (now - expiry * 20).ToUnixTimeMilliseconds();
        var live = 1;
        var gone = new List<TableEntity>();
        await foreach (var e in _table.QueryAsync<TableEntity>(x => x.PartitionKey == Partition, select: ["RowKey", "SeenAt"], cancellationToken: cancellationToken))
        {
            if (e.RowKey == key)
            {
                continue;
            }
            var seen = e.GetInt64("SeenAt") ?? 0;
            if (seen > horizon)
            {
                live++;
            }
            else if (seen < forgotten)
            {
                gone.Add(e);
            }
        }
        foreach (var e in gone)
        {
            try
            {
                await _table.DeleteEntityAsync(e.PartitionKey, e.RowKey, e.ETag, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // Another instance cleaned it up first.
            }
        }
        return live;
    }

    public async Task LeaveAsync(string instanceId, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        try
        {
            await _table.DeleteEntityAsync(Partition, RowKey(instanceId), ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone.
        }
    }

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken);
            _created = true;
        }
    }

    /// <summary>Base64url of the id: instance ids hold machine names, and row keys may not contain / \ # ? or control characters.</summary>
    private static string RowKey(string instanceId) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(instanceId)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
