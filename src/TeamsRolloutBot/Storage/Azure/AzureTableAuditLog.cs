using Azure.Data.Tables;
using TeamsRolloutBot.Commands;
using static TeamsRolloutBot.Storage.Azure.AzureTables;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>
/// <see cref="IAuditLog"/> on the table <c>&lt;prefix&gt;Audit</c>: every instance appends (row keys sort newest first
/// and end in a unique suffix, so entries of two instances at the same moment are both kept).
/// </summary>
public sealed class AzureTableAuditLog(TableServiceClient service, string tablePrefix, TimeProvider time) : IAuditLog
{
    internal const string Partition = "audit";
    private readonly string _instance = Guid.NewGuid().ToString("N")[..8];
    private long _sequence;

    /// <summary>The table this store uses.</summary>
    public TableClient Table { get; } = service.GetTableClient(tablePrefix + "Audit");

    public Task WriteAsync(string? userAadObjectId, string? userName, string? conversationType, string command, string result, string? detail, CancellationToken cancellationToken) =>
        Table.AddEntityAsync(ToEntity(new AuditEntry(time.GetUtcNow(), userAadObjectId, userName, conversationType, command, result, detail), Suffix(Interlocked.Increment(ref _sequence), _instance)), cancellationToken);

    public async Task<IReadOnlyList<AuditEntry>> LatestAsync(int count, CancellationToken cancellationToken)
    {
        var entries = new List<AuditEntry>();
        if (count <= 0)
        {
            return entries;
        }
        await foreach (var e in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), maxPerPage: Math.Min(count, 1000), cancellationToken: cancellationToken))
        {
            entries.Add(new AuditEntry(FromMs(e.GetInt64("At")!.Value), e.GetString("UserAadObjectId"), e.GetString("UserName"), e.GetString("ConversationType"),
                e.GetString("Command"), e.GetString("Result"), e.GetString("Detail")));
            if (entries.Count == count)
            {
                break;
            }
        }
        return entries;
    }

    /// <summary>Orders entries of one instance within one clock tick (later first) and keeps two instances' entries apart.</summary>
    internal static string Suffix(long sequence, string instance) =>
        (long.MaxValue - sequence).ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + "-" + instance;

    internal static TableEntity ToEntity(AuditEntry entry, string unique) => new(Partition, NewestFirst(entry.At) + "-" + unique)
    {
        ["At"] = Ms(entry.At), ["UserAadObjectId"] = entry.UserAadObjectId, ["UserName"] = entry.UserName, ["ConversationType"] = entry.ConversationType,
        ["Command"] = entry.Command, ["Result"] = entry.Result, ["Detail"] = entry.Detail,
    };
}
