using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Feedback.Replies;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>
/// The shared state beyond delivery on Table Storage: wave states, confirmations, the audit log, the inbound dedupe log,
/// conversation references, plan versions, survey feedback and channel thread replies. Registered before the features that would register their SQLite stores
/// (they use TryAdd), so every instance on one account shares this state.
/// </summary>
public static class AzureStateStoresServiceCollectionExtensions
{
    /// <summary>Registers the Table Storage stores and creates (and, once, fills from SQLite) their tables at start. Called by <c>AddAzureDeliveryStore</c>.</summary>
    public static IServiceCollection AddAzureStateStores(this IServiceCollection services)
    {
        static string Prefix(IServiceProvider sp) => sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value.TablePrefix;
        // The lead commands read their clock under a key (tests move it); fall back to the app clock.
        static TimeProvider CommandsTime(IServiceProvider sp) =>
            sp.GetKeyedService<TimeProvider>(CommandsClock.Key) ?? sp.GetRequiredService<TimeProvider>();

        services.TryAddSingleton(sp => new AzureTableWaveStateStore(sp.GetRequiredService<TableServiceClient>(), Prefix(sp)));
        services.TryAddSingleton(sp => new AzureTableConfirmationStore(sp.GetRequiredService<TableServiceClient>(), Prefix(sp), CommandsTime(sp)));
        services.TryAddSingleton(sp => new AzureTableAuditLog(sp.GetRequiredService<TableServiceClient>(), Prefix(sp), CommandsTime(sp)));
        services.TryAddSingleton(sp => new AzureTableInboundActivityLog(sp.GetRequiredService<TableServiceClient>(), Prefix(sp), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new AzureTableConversationStore(sp.GetRequiredService<TableServiceClient>(), Prefix(sp), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new AzureTablePlanVersionStore(sp.GetRequiredService<TableServiceClient>(), Prefix(sp)));
        services.TryAddSingleton(sp => new AzureTableFeedbackStore(sp.GetRequiredService<TableServiceClient>(), Prefix(sp), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IWaveStateStore>(sp => sp.GetRequiredService<AzureTableWaveStateStore>());
        services.TryAddSingleton<IConfirmationStore>(sp => sp.GetRequiredService<AzureTableConfirmationStore>());
        services.TryAddSingleton<IAuditLog>(sp => sp.GetRequiredService<AzureTableAuditLog>());
        services.TryAddSingleton<IInboundActivityLog>(sp => sp.GetRequiredService<AzureTableInboundActivityLog>());
        services.TryAddSingleton<IConversationStore>(sp => sp.GetRequiredService<AzureTableConversationStore>());
        services.TryAddSingleton<IPlanVersionStore>(sp => sp.GetRequiredService<AzureTablePlanVersionStore>());
        services.TryAddSingleton<IFeedbackStore>(sp => sp.GetRequiredService<AzureTableFeedbackStore>());
        services.TryAddSingleton(sp => new AzureTableThreadReplyStore(sp.GetRequiredService<TableServiceClient>(), Prefix(sp), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IThreadReplyStore>(sp => sp.GetRequiredService<AzureTableThreadReplyStore>());
        services.TryAddSingleton(sp => new AzureStorageTables(sp.GetRequiredService<TableServiceClient>(), Prefix(sp)));
        services.AddHostedService<AzureStateTablesInitializer>();
        return services;
    }
}

/// <summary>Every table of the AzureStorage provider, for creation at start and the readiness check.</summary>
public sealed class AzureStorageTables(TableServiceClient service, string tablePrefix)
{
    /// <summary>The table names without prefix.</summary>
    public static readonly IReadOnlyList<string> Suffixes =
        ["Sends", "Jobs", "Cards", "Settings", "Conversations", "Waves", "Confirmations", "Audit", "Inbound", "PlanVersions",
            "Feedback", "FeedbackCards", "FeedbackNotices", "ThreadReplies", "Instances"];

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

/// <summary>
/// Creates the state tables at start and, the first time, copies the SQLite file's command and feedback state into them (after the
/// delivery tables exist, before the scheduler starts).
/// </summary>
internal sealed partial class AzureStateTablesInitializer(AzureStorageTables tables, TableServiceClient service, SqliteDatabase database,
    IOptions<AzureStorageOptions> options, ILogger<AzureStateTablesInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        if (options.Value.ImportFromSqlite
            && await AzureStateImport.ImportFromSqliteOnceAsync(service, options.Value.TablePrefix, database, cancellationToken) is { } copied)
        {
            LogImported(logger, copied.Waves, copied.Confirmations, copied.Audit, copied.Answers, copied.Conversations);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 9102, Level = LogLevel.Information,
        Message = "AzureStorage: copied the SQLite file's command and feedback state into the tables ({Waves} wave states, {Confirmations} confirmations, {Audit} audit entries, {Answers} survey answers, {Conversations} conversation references the tables lacked).")]
    private static partial void LogImported(ILogger logger, int waves, int confirmations, int audit, int answers, int conversations);
}
