using Azure;
using Azure.Data.Tables;
using TeamsRolloutBot.Delivery;
using static TeamsRolloutBot.Storage.Azure.AzureTables;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>
/// <see cref="ISentCardStore"/> on the table <c>&lt;prefix&gt;SentCards</c>: one entity per sent card (partition: the
/// message id, lower case, encoded; row: the job key, encoded) and one per correction notice (partition <c>~notice</c>,
/// which no encoded key can be; a decision is written on the ETag read, so the first decision stays), and one per
/// correction request (partition <c>~correction</c>; its cards carry the request id and a pending flag).
/// </summary>
public sealed class AzureTableSentCardStore(TableServiceClient service, string tablePrefix) : ISentCardStore
{
    private const string NoticePartition = "~notice";
    private const string CorrectionPartition = "~correction";

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
            ? TableClient.CreateQueryFilter($"PartitionKey ne {NoticePartition} and PartitionKey ne {CorrectionPartition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(messageId)}");
        var list = await QueryAsync(Table, filter, cancellationToken);
        return [.. list.Select(Read).OrderBy(c => c.SentUtc).ThenBy(c => c.JobKey, StringComparer.Ordinal)];
    }

    public async Task RecordCorrectionAsync(SentCard card, CorrectionOutcome outcome, string? fingerprint, string? detail, DateTimeOffset atUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        var entity = new TableEntity(PartitionOf(card.MessageId), Encode(card.JobKey))
        {
            ["State"] = outcome.ToString(), ["Detail"] = detail ?? "", ["CorrectedAt"] = Ms(atUtc), ["CorrectionPending"] = false,
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

    public async Task AddCorrectionAsync(PendingCorrection request, IReadOnlyCollection<string> jobKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(jobKeys);
        // The request first: cards marked for a request that is not stored would never be picked up.
        await Table.UpsertEntityAsync(new TableEntity(CorrectionPartition, Encode(request.RequestId))
        {
            ["RequestId"] = request.RequestId, ["Retract"] = request.Retract, ["MessageId"] = request.MessageId, ["Command"] = request.Command,
            ["UserId"] = request.UserId, ["UserName"] = request.UserName, ["ConversationType"] = request.ConversationType,
            ["ReplyServiceUrl"] = request.ReplyServiceUrl, ["ReplyConversationId"] = request.ReplyConversationId, ["Language"] = request.Language,
            ["RequestedAt"] = Ms(request.RequestedUtc), ["ProgressId"] = "", ["FinishedAt"] = 0L,
        }, TableUpdateMode.Replace, cancellationToken);
        foreach (var job in jobKeys)
        {
            try
            {
                await Table.UpdateEntityAsync(new TableEntity(PartitionOf(request.MessageId), Encode(job))
                {
                    ["CorrectionRequest"] = request.RequestId, ["CorrectionPending"] = true,
                }, ETag.All, TableUpdateMode.Merge, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Not recorded as sent: nothing to correct.
            }
        }
    }

    public async Task<IReadOnlyList<PendingCorrection>> GetUnfinishedCorrectionsAsync(CancellationToken cancellationToken)
    {
        var list = await QueryAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {CorrectionPartition} and FinishedAt eq {0L}"), cancellationToken);
        return [.. list.Select(ReadCorrection).OrderBy(c => c.RequestedUtc).ThenBy(c => c.RequestId, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<SentCard>> GetCorrectionCardsAsync(string requestId, CancellationToken cancellationToken)
    {
        var list = await QueryAsync(Table, TableClient.CreateQueryFilter($"CorrectionRequest eq {requestId}"), cancellationToken);
        return [.. list.Where(e => e.PartitionKey != CorrectionPartition).Select(Read).OrderBy(c => c.SentUtc).ThenBy(c => c.JobKey, StringComparer.Ordinal)];
    }

    public Task SetCorrectionProgressAsync(string requestId, string progressActivityId, CancellationToken cancellationToken) =>
        MergeCorrectionAsync(new TableEntity(CorrectionPartition, Encode(requestId)) { ["ProgressId"] = progressActivityId }, cancellationToken);

    public Task FinishCorrectionAsync(string requestId, DateTimeOffset atUtc, CancellationToken cancellationToken) =>
        MergeCorrectionAsync(new TableEntity(CorrectionPartition, Encode(requestId)) { ["FinishedAt"] = Ms(atUtc) }, cancellationToken);

    private async Task MergeCorrectionAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await Table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No such request: nothing to change.
        }
    }

    private static PendingCorrection ReadCorrection(TableEntity e) => new(
        e.GetString("RequestId"), e.GetBoolean("Retract") ?? false, e.GetString("MessageId"), e.GetString("Command"), e.GetString("UserId"),
        e.GetString("UserName"), e.GetString("ConversationType"), e.GetString("ReplyServiceUrl"), e.GetString("ReplyConversationId"),
        e.GetString("Language"), FromMs(e.GetInt64("RequestedAt")!.Value), e.GetString("ProgressId") is { Length: > 0 } progress ? progress : null,
        e.GetInt64("FinishedAt") is { } at && at > 0 ? FromMs(at) : null);

    private static string PartitionOf(string messageId) => Encode(messageId.ToLowerInvariant());

    private static SentCard Read(TableEntity e) => new(
        e.GetString("JobKey"), e.GetString("SendKey"), e.GetString("WaveId"), e.GetString("MessageId"), e.GetString("DepartmentId"),
        Enum.Parse<DeliveryKind>(e.GetString("Kind")), e.GetString("Target"), e.GetString("Language"), e.GetString("ServiceUrl"),
        e.GetString("ConversationId"), e.GetString("ActivityId"), e.GetString("Fingerprint"), FromMs(e.GetInt64("SentAt")!.Value),
        Enum.Parse<CorrectionOutcome>(e.GetString("State")), e.GetString("Detail") is { Length: > 0 } detail ? detail : null,
        e.GetInt64("CorrectedAt") is { } at && at > 0 ? FromMs(at) : null, e.GetString("CorrectionRequest"),
        e.GetBoolean("CorrectionPending") ?? false);

    private static CorrectionNotice ReadNotice(TableEntity e) => new(
        e.GetString("Key"), e.GetString("MessageId"), FromMs(e.GetInt64("CreatedAt")!.Value),
        e.GetString("Decision") is { Length: > 0 } decision ? decision : null, e.GetString("DecidedBy"),
        e.GetInt64("DecidedAt") is { } at ? FromMs(at) : null);
}
