using System.Globalization;
using Azure;
using Azure.Data.Tables;
using TeamsRolloutBot.Commands;
using static TeamsRolloutBot.Storage.Azure.AzureTables;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>
/// <see cref="IWaveStateStore"/> on the table <c>&lt;prefix&gt;Waves</c>: one entity per wave a lead changed (partition
/// <c>wave</c>, its ETag is the version a change is conditional on) and one per send-now request (partition
/// <c>sendnow</c>, inserted once per request id).
/// </summary>
public sealed class AzureTableWaveStateStore(TableServiceClient service, string tablePrefix) : IWaveStateStore
{
    private const string Wave = "wave";
    private const string SendNowPartition = "sendnow";

    /// <summary>The table this store uses.</summary>
    public TableClient Table { get; } = service.GetTableClient(tablePrefix + "Waves");

    public async Task<IReadOnlyDictionary<string, (WaveState State, DateOnly? Start)>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var list = await QueryAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {Wave}"), cancellationToken);
        return list.Select(Read).ToDictionary(s => s.WaveId, s => (s.State, s.Start), StringComparer.Ordinal);
    }

    public async Task<StoredWaveState?> FindAsync(string waveId, CancellationToken cancellationToken) =>
        await GetAsync(Table, Wave, Encode(waveId), cancellationToken) is { } e ? Read(e) : null;

    public async Task<bool> TrySaveAsync(StoredWaveState state, string? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var entity = new TableEntity(Wave, Encode(state.WaveId))
        {
            ["WaveId"] = state.WaveId, ["State"] = state.State.ToString(), ["UpdatedAt"] = Ms(state.UpdatedAt), ["UpdatedBy"] = state.UpdatedBy,
            ["Start"] = state.Start?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        if (expectedVersion is null)
        {
            return await TryAddAsync(Table, entity, cancellationToken);
        }
        entity.ETag = new ETag(expectedVersion);
        return await TryReplaceAsync(Table, entity, cancellationToken);
    }

    public Task<bool> AddSendNowAsync(string requestId, string waveId, string messageId, IReadOnlyList<string> departmentIds, string actor, DateTimeOffset now, CancellationToken cancellationToken) =>
        TryAddAsync(Table, new TableEntity(SendNowPartition, Encode(requestId))
        {
            ["RequestId"] = requestId, ["WaveId"] = waveId, ["MessageId"] = messageId, ["DepartmentIds"] = string.Join(",", departmentIds),
            ["RequestedBy"] = actor, ["CreatedAt"] = Ms(now),
        }, cancellationToken);

    public async Task<IReadOnlyList<WaveStates.SendNow>> ReadSendNowAsync(CancellationToken cancellationToken)
    {
        var list = await QueryAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {SendNowPartition}"), cancellationToken);
        return
        [
            .. list.Select(e => new WaveStates.SendNow(e.GetString("RequestId"), e.GetString("WaveId"), e.GetString("MessageId"),
                    e.GetString("DepartmentIds").Split(',', StringSplitOptions.RemoveEmptyEntries), FromMs(e.GetInt64("CreatedAt")!.Value)))
                .OrderBy(s => s.CreatedAt).ThenBy(s => s.RequestId, StringComparer.Ordinal),
        ];
    }

    internal static TableEntity ToEntity(string waveId, string state, string? start, long updatedAt, string? updatedBy) =>
        new(Wave, Encode(waveId)) { ["WaveId"] = waveId, ["State"] = state, ["Start"] = start, ["UpdatedAt"] = updatedAt, ["UpdatedBy"] = updatedBy };

    internal static TableEntity ToSendNowEntity(string requestId, string waveId, string messageId, string departmentIds, string actor, long createdAt) =>
        new(SendNowPartition, Encode(requestId))
        {
            ["RequestId"] = requestId, ["WaveId"] = waveId, ["MessageId"] = messageId, ["DepartmentIds"] = departmentIds,
            ["RequestedBy"] = actor, ["CreatedAt"] = createdAt,
        };

    private static StoredWaveState Read(TableEntity e) => new(
        e.GetString("WaveId"), Enum.Parse<WaveState>(e.GetString("State"), ignoreCase: true),
        e.GetString("Start") is { } start ? DateOnly.ParseExact(start, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        FromMs(e.GetInt64("UpdatedAt")!.Value), e.GetString("UpdatedBy"), e.ETag.ToString());
}
