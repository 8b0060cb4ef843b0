using Azure.Data.Tables;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>Every table of the AzureStorage provider, for creation at start and the readiness check.</summary>
public sealed class AzureStorageTables(TableServiceClient service, string tablePrefix)
{
    /// <summary>The table names without prefix.</summary>
    public static readonly IReadOnlyList<string> Suffixes =
        ["Sends", "Jobs", "Cards", "Settings", "Conversations", "Waves", "Confirmations", "Audit", "Inbound", "PlanVersions",
            "Feedback", "FeedbackCards", "FeedbackNotices", "ThreadReplies", "Instances", "Replies", "SentCards", "Approvals"];

    /// <summary>The full table names.</summary>
    public IReadOnlyList<string> Names { get; } = [.. Suffixes.Select(s => tablePrefix + s)];

    /// <summary>Creates the tables that do not exist yet (idempotent; every instance may call it at start).</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        foreach (var name in Names)
        {
            await service.GetTableClient(name).CreateIfNotExistsAsync(cancellationToken);
        }
    }

    /// <summary>The tables that are missing (one request listing the account's tables with the prefix); throws when the account cannot be reached.</summary>
    public async Task<IReadOnlyList<string>> MissingAsync(CancellationToken cancellationToken)
    {
        var prefix = Names[0][..^Suffixes[0].Length];
        var present = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var table in service.QueryAsync(TableServiceClient.CreateQueryFilter($"TableName ge {prefix} and TableName lt {prefix + "~"}"), cancellationToken: cancellationToken))
        {
            present.Add(table.Name);
        }
        return [.. Names.Where(n => !present.Contains(n))];
    }
}
