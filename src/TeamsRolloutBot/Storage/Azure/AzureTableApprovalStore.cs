using Azure;
using Azure.Data.Tables;
using TeamsRolloutBot.Commands;
using static TeamsRolloutBot.Storage.Azure.AzureTables;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>
/// <see cref="IApprovalStore"/> on the table <c>&lt;prefix&gt;Approvals</c>: one entity per wave (partition
/// <c>approval</c>); its ETag is the version a change is conditional on.
/// </summary>
public sealed class AzureTableApprovalStore(TableServiceClient service, string tablePrefix) : IApprovalStore
{
    private const string Partition = "approval";

    /// <summary>The table this store uses.</summary>
    public TableClient Table { get; } = service.GetTableClient(tablePrefix + "Approvals");

    public async Task<WaveApproval?> FindAsync(string waveId, CancellationToken cancellationToken) =>
        await GetAsync(Table, Partition, Encode(waveId), cancellationToken) is { } e ? Read(e) : null;

    public async Task<IReadOnlyList<WaveApproval>> ReadAllAsync(CancellationToken cancellationToken) =>
        [.. (await QueryAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken)).Select(Read).OrderBy(a => a.WaveId, StringComparer.Ordinal)];

    public async Task<bool> TrySaveAsync(WaveApproval approval, string? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var entity = new TableEntity(Partition, Encode(approval.WaveId))
        {
            ["WaveId"] = approval.WaveId, ["Fingerprint"] = approval.Fingerprint, ["State"] = approval.State,
            ["CardsSentAt"] = approval.CardsSentAt is { } sent ? Ms(sent) : null, ["Cards"] = approval.Cards,
            ["DecidedBy"] = approval.DecidedBy, ["DecidedByName"] = approval.DecidedByName,
            ["DecidedAt"] = approval.DecidedAt is { } decided ? Ms(decided) : null,
            ["RemindedAt"] = approval.RemindedAt is { } reminded ? Ms(reminded) : null, ["Reminders"] = approval.Reminders,
        };
        if (expectedVersion is null)
        {
            return await TryAddAsync(Table, entity, cancellationToken);
        }
        entity.ETag = new ETag(expectedVersion);
        return await TryReplaceAsync(Table, entity, cancellationToken);
    }

    private static WaveApproval Read(TableEntity e) => new(
        e.GetString("WaveId"), e.GetString("Fingerprint"), e.GetString("State"),
        e.GetInt64("CardsSentAt") is { } sent ? FromMs(sent) : null, e.GetString("Cards"), e.GetString("DecidedBy"), e.GetString("DecidedByName"),
        e.GetInt64("DecidedAt") is { } decided ? FromMs(decided) : null, e.GetInt64("RemindedAt") is { } reminded ? FromMs(reminded) : null,
        e.GetInt32("Reminders") ?? 0, e.ETag.ToString());
}
