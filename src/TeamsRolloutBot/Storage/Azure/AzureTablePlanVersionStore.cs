using Azure.Data.Tables;
using static TeamsRolloutBot.Storage.Azure.AzureTables;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>
/// <see cref="IPlanVersionStore"/> on the table <c>&lt;prefix&gt;PlanVersions</c>: one partition per instance, row keys
/// sorting newest first, so every instance sees which plan file each instance loaded last.
/// </summary>
public sealed class AzureTablePlanVersionStore(TableServiceClient service, string tablePrefix) : IPlanVersionStore
{
    /// <summary>The table this store uses.</summary>
    public TableClient Table { get; } = service.GetTableClient(tablePrefix + "PlanVersions");

    public Task RecordAsync(PlanVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        return Table.UpsertEntityAsync(new TableEntity(Encode(version.Instance), NewestFirst(version.LoadedAt) + "-" + version.Hash[..Math.Min(16, version.Hash.Length)])
        {
            ["Hash"] = version.Hash, ["Instance"] = version.Instance, ["LoadedAt"] = Ms(version.LoadedAt), ["PlanName"] = version.PlanName,
            ["WaveCount"] = version.WaveCount,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<PlanVersion>> LatestPerInstanceAsync(CancellationToken cancellationToken)
    {
        var all = await QueryAsync(Table, null, cancellationToken);
        return
        [
            .. all.GroupBy(e => e.PartitionKey)
                .Select(g => g.MinBy(e => e.RowKey, StringComparer.Ordinal)!)
                .Select(e => new PlanVersion(e.GetString("Hash"), e.GetString("Instance"), FromMs(e.GetInt64("LoadedAt")!.Value), e.GetString("PlanName"), e.GetInt32("WaveCount") ?? 0))
                .OrderByDescending(v => v.LoadedAt),
        ];
    }
}
