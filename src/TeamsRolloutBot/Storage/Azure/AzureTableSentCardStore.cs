using Azure;
using Azure.Data.Tables;
using TeamsRolloutBot.Delivery;
using static TeamsRolloutBot.Storage.Azure.AzureTables;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>
/// <see cref="ISentCardStore"/> on the table <c>&lt;prefix&gt;SentCards</c>: one entity per sent card (partition: the
/// message id, lower case, encoded; row: the job key, encoded) and one per correction notice (partition <c>~notice</c>,
/// which no encoded key can be; a decision is written on the ETag read, so the first decision stays).
/// </summary>
public sealed class AzureTableSentCardStore(TableServiceClient service, string tablePrefix) : ISentCardStore
{
    private const string NoticePartition = "~notice";

    /// <summary>The table this store uses.</summary>
    public TableClient Table { get; } = service.GetTableClient(tablePrefix + "SentCards");

    public async Task RecordSentAsync(SentCard card, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        var entity = new TableEntity(PartitionOf(card.MessageId), Encode(card.JobKey))
        {
            ["JobKey"] = card.JobKey, ["SendKey"] = card.SendKey, ["WaveId"] = card.WaveId, ["MessageId"] = card.MessageId,
            ["DepartmentId"] = card.DepartmentId, ["Kind"] = card.Kind.ToString(), ["Target"] = card.Target, ["Language"] = card.Language,
            ["ServiceUrl"] = card.ServiceUrl, ["ConversationId"] = card.ConversationId, ["ActivityId"] = card.ActivityId,
            ["Fingerprint"] = card.Fingerprint, ["SentAt"] = Ms(card.SentUtc), ["State"] = card.State.ToString(), ["Detail"] = "", ["CorrectedAt"] = 0L,
        };
        await Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<SentCard>> GetSentAsync(string? messageId, CancellationToken cancellationToken)
    {
        var filter = messageId is null
            ? TableClient.CreateQueryFilter($"PartitionKey ne {NoticePartition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(messageId)}");
        var list = await QueryAsync(Table, filter, cancellationToken);
        return [.. list.Select(Read).OrderBy(c => c.SentUtc).ThenBy(c => c.JobKey, StringComparer.Ordinal)];
    }

    public async Task RecordCorrectionAsync(SentCard card, CorrectionOutcome outcome, string? fingerprint, string? detail, DateTimeOffset atUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        var entity = new TableEntity(PartitionOf(card.MessageId), Encode(card.JobKey))
        {
            ["State"] = outcome.ToString(), ["Detail"] = detail ?? "", ["CorrectedAt"] = Ms(atUtc),
        };
        if (fingerprint is not null)
        {
            entity["Fingerprint"] = fingerprint;
        }
        try
        {
            await Table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Not recorded as sent: nothing to correct.
        }
    }

    public Task<bool> TryAddNoticeAsync(string key, string messageId, DateTimeOffset atUtc, CancellationToken cancellationToken) =>
        TryAddAsync(Table, new TableEntity(NoticePartition, Encode(key))
        {
            ["Key"] = key, ["MessageId"] = messageId, ["CreatedAt"] = Ms(atUtc),
        }, cancellationToken);

    public async Task<CorrectionNotice?> FindNoticeAsync(string key, CancellationToken cancellationToken) =>
        await GetAsync(Table, NoticePartition, Encode(key), cancellationToken) is { } e ? ReadNotice(e) : null;

    public async Task<bool> DecideNoticeAsync(string key, string decision, string decidedBy, DateTimeOffset atUtc, CancellationToken cancellationToken)
    {
        if (await GetAsync(Table, NoticePartition, Encode(key), cancellationToken) is not { } entity || entity.GetString("Decision") is { Length: > 0 })
        {
            return false;
        }
        entity["Decision"] = decision;
        entity["DecidedBy"] = decidedBy;
        entity["DecidedAt"] = Ms(atUtc);
        return await TryReplaceAsync(Table, entity, cancellationToken);
    }

    private static string PartitionOf(string messageId) => Encode(messageId.ToLowerInvariant());

    private static SentCard Read(TableEntity e) => new(
        e.GetString("JobKey"), e.GetString("SendKey"), e.GetString("WaveId"), e.GetString("MessageId"), e.GetString("DepartmentId"),
        Enum.Parse<DeliveryKind>(e.GetString("Kind")), e.GetString("Target"), e.GetString("Language"), e.GetString("ServiceUrl"),
        e.GetString("ConversationId"), e.GetString("ActivityId"), e.GetString("Fingerprint"), FromMs(e.GetInt64("SentAt")!.Value),
        Enum.Parse<CorrectionOutcome>(e.GetString("State")), e.GetString("Detail") is { Length: > 0 } detail ? detail : null,
        e.GetInt64("CorrectedAt") is { } at && at > 0 ? FromMs(at) : null);

    private static CorrectionNotice ReadNotice(TableEntity e) => new(
        e.GetString("Key"), e.GetString("MessageId"), FromMs(e.GetInt64("CreatedAt")!.Value),
        e.GetString("Decision") is { Length: > 0 } decision ? decision : null, e.GetString("DecidedBy"),
        e.GetInt64("DecidedAt") is { } at ? FromMs(at) : null);
}
