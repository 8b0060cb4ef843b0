using Azure.Data.Tables;
using TeamsRolloutBot.Commands;
using static TeamsRolloutBot.Storage.Azure.AzureTables;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>
/// <see cref="IConfirmationStore"/> on the table <c>&lt;prefix&gt;Confirmations</c>. Deciding writes with
/// <c>If-Match</c> on the pending entity it read: of two clicks (two instances, a double click, a redelivery) one
/// write succeeds; the other gets 412, reads the decided entity and reports false.
/// </summary>
public sealed class AzureTableConfirmationStore(TableServiceClient service, string tablePrefix, TimeProvider time) : IConfirmationStore
{
    private const string Partition = "confirm";

    /// <summary>The table this store uses.</summary>
    public TableClient Table { get; } = service.GetTableClient(tablePrefix + "Confirmations");

    public async Task<string> CreateAsync(string command, int? recipients, string requestedBy, string? requestedByName, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        var now = time.GetUtcNow();
        await Table.AddEntityAsync(new TableEntity(Partition, id)
        {
            ["Command"] = command, ["Recipients"] = recipients, ["RequestedBy"] = requestedBy, ["RequestedByName"] = requestedByName,
            ["CreatedAt"] = Ms(now), ["ExpiresAt"] = Ms(now + lifetime), ["State"] = ConfirmationStates.Pending,
        }, cancellationToken);
        return id;
    }

    public Task<bool> TryDecideAsync(string id, string state, string decidedBy, string? decidedByName, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return MutateAsync(Table, Partition, id, e =>
        {
            if (e.GetString("State") != ConfirmationStates.Pending || e.GetInt64("ExpiresAt") <= Ms(now)
                || !string.Equals(e.GetString("RequestedBy"), decidedBy, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
            e["State"] = state;
            e["DecidedBy"] = decidedBy;
            e["DecidedByName"] = decidedByName;
            e["DecidedAt"] = Ms(now);
            return true;
        }, cancellationToken);
    }

    public Task SetResultAsync(string id, string result, CancellationToken cancellationToken) =>
        MutateAsync(Table, Partition, id, e =>
        {
            e["Result"] = result;
            return true;
        }, cancellationToken);

    public async Task<PendingConfirmation?> FindAsync(string id, CancellationToken cancellationToken) =>
        id.Length == 0 || id.Any(c => !char.IsAsciiLetterOrDigit(c)) || await GetAsync(Table, Partition, id, cancellationToken) is not { } e
            ? null
            : new PendingConfirmation(e.RowKey, e.GetString("Command"), e.GetInt32("Recipients"), e.GetString("RequestedBy"), e.GetString("RequestedByName"),
                FromMs(e.GetInt64("ExpiresAt")!.Value), e.GetString("State"), e.GetString("DecidedByName"),
                e.GetInt64("DecidedAt") is { } at ? FromMs(at) : null, e.GetString("Result"));

    internal static string PartitionKey => Partition;
}
