using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Feedback.Replies;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>Wiring of <c>Storage:Provider=AzureStorage</c>.</summary>
public static class AzureStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers exactly one Table Storage implementation of each store interface (each also under its own type), the
    /// outbox queue, the blob leases for leadership and wave locks, the instance registry, and the hosted services that
    /// create the tables (and, once, copy the SQLite file's state into them) and sweep the outbox. Called by
    /// <c>AddBotStorage</c> when <c>Storage:Provider=AzureStorage</c>.
    /// </summary>
    public static IServiceCollection AddAzureStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AzureStorageOptions>().Bind(configuration.GetSection("Storage")).ValidateOnStart()
            .Validate(o => !string.IsNullOrWhiteSpace(o.AzureConnectionString)
                || (Uri.TryCreate(o.TableServiceUri, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.IsLoopback)),
                "Storage:Provider=AzureStorage needs Storage:TableServiceUri (https://ACCOUNT.table.core.windows.net, managed identity) or Storage:AzureConnectionString.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.AzureConnectionString) || ServiceUri(o, "queue") is not null,
                "Storage:Provider=AzureStorage needs Storage:QueueServiceUri (https://ACCOUNT.queue.core.windows.net) for the outbox queue, or a TableServiceUri on core.windows.net to derive it from.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.AzureConnectionString) || ServiceUri(o, "blob") is not null,
                "Storage:Provider=AzureStorage needs Storage:BlobServiceUri (https://ACCOUNT.blob.core.windows.net) for the leader and wave-lock leases, or a TableServiceUri on core.windows.net to derive it from.")
            .Validate(o => o.BlobLeaseDuration >= TimeSpan.FromSeconds(15) && o.BlobLeaseDuration <= TimeSpan.FromSeconds(60),
                "Storage:BlobLeaseDuration must be between 00:00:15 and 00:01:00 (the limits of a blob lease).")
            .Validate(o => o.OutboxSweepInterval >= TimeSpan.FromSeconds(1) && o.OutboxSweepGrace >= TimeSpan.Zero,
                "Storage:OutboxSweepInterval must be at least 1 second and Storage:OutboxSweepGrace not negative.")
            .Validate(o => o.TablePrefix.Length is >= 1 and <= 40 && char.IsAsciiLetter(o.TablePrefix[0]) && o.TablePrefix.All(char.IsAsciiLetterOrDigit),
                "Storage:TablePrefix must be 1 to 40 letters and digits, starting with a letter.");
        services.AddSingleton<AzureStorageTables>(sp => new AzureStorageTables(sp.GetRequiredService<TableServiceClient>(), Prefix(sp)));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value;
            return string.IsNullOrWhiteSpace(options.AzureConnectionString)
                ? new TableServiceClient(new Uri(options.TableServiceUri!), new DefaultAzureCredential())
                : new TableServiceClient(options.AzureConnectionString);
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value;
            return string.IsNullOrWhiteSpace(options.AzureConnectionString)
                ? new QueueServiceClient(ServiceUri(options, "queue"), new DefaultAzureCredential())
                : new QueueServiceClient(options.AzureConnectionString);
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value;
            return string.IsNullOrWhiteSpace(options.AzureConnectionString)
                ? new BlobServiceClient(ServiceUri(options, "blob"), new DefaultAzureCredential())
                : new BlobServiceClient(options.AzureConnectionString);
        });
        // Leader election and wave locks: blob leases in <prefix>-locks (docs/operations.md, section 12).
        services.AddKeyedSingleton(LocksKey, (sp, _) => sp.GetRequiredService<BlobServiceClient>()
            .GetBlobContainerClient(sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value.TablePrefix.ToLowerInvariant() + "-locks"));
        services.AddSingleton(sp => new BlobLeaseLeadership(sp.GetRequiredKeyedService<BlobContainerClient>(LocksKey),
            sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value.BlobLeaseDuration, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<BlobLeaseLeadership>>()));
        services.AddSingleton<ILeadership>(sp => sp.GetRequiredService<BlobLeaseLeadership>());
        services.AddSingleton<IWaveLocks>(sp => new BlobWaveLocks(sp.GetRequiredKeyedService<BlobContainerClient>(LocksKey),
            sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value.BlobLeaseDuration, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp =>
        {
            // Paused and cancelled waves come from the shared wave state table.
            var waves = sp.GetRequiredService<IWaveStateStore>();
            var options = sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value;
            return new AzureTableDeliveryStore(sp.GetRequiredService<TableServiceClient>(), options.TablePrefix, sp.GetRequiredService<TimeProvider>(),
                async ct => WaveStates.Held(await waves.ReadAllAsync(ct)),
                sp.GetRequiredService<QueueServiceClient>().GetQueueClient(options.TablePrefix.ToLowerInvariant() + "outbox"),
                new OutboxQueueOptions { SweepGrace = options.OutboxSweepGrace },
                async ct => (await waves.ReadAllAsync(ct)).Where(w => w.Value.State == WaveState.Cancelled).Select(w => w.Key).ToHashSet(StringComparer.Ordinal));
        });
        services.AddSingleton<IDeliveryStore>(sp => sp.GetRequiredService<AzureTableDeliveryStore>());
        services.AddSingleton<Delivery.IInstanceRegistry>(sp => new AzureTableInstanceRegistry(sp.GetRequiredService<TableServiceClient>(),
            sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value.TablePrefix, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<Delivery.DeliveryOptions>>().Value.InstanceHeartbeat * 3));
        // Hosted services start in this order: tables and the locks container exist before the leader lease is tried.
        services.AddHostedService<AzureTablesInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<BlobLeaseLeadership>());
        services.AddHostedService<OutboxSweeper>();
        // The shared state beyond delivery: every instance on one account reads and writes these tables.
        services.AddSingleton(sp => new AzureTableWaveStateStore(sp.GetRequiredService<TableServiceClient>(), Prefix(sp)));
        services.AddSingleton<IWaveStateStore>(sp => sp.GetRequiredService<AzureTableWaveStateStore>());
        services.AddSingleton(sp => new AzureTableConfirmationStore(sp.GetRequiredService<TableServiceClient>(), Prefix(sp), CommandsTime(sp)));
        services.AddSingleton<IConfirmationStore>(sp => sp.GetRequiredService<AzureTableConfirmationStore>());
        services.AddSingleton(sp => new AzureTableApprovalStore(sp.GetRequiredService<TableServiceClient>(), Prefix(sp)));
        services.AddSingleton<IApprovalStore>(sp => sp.GetRequiredService<AzureTableApprovalStore>());
        services.AddSingleton(sp => new AzureTableAuditLog(sp.GetRequiredService<TableServiceClient>(), Prefix(sp), CommandsTime(sp)));
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<AzureTableAuditLog>());
        services.AddSingleton(sp => new AzureTableInboundActivityLog(sp.GetRequiredService<TableServiceClient>(), Prefix(sp), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IInboundActivityLog>(sp => sp.GetRequiredService<AzureTableInboundActivityLog>());
        services.AddSingleton(sp => new AzureTableConversationStore(sp.GetRequiredService<TableServiceClient>(), Prefix(sp), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IConversationStore>(sp => sp.GetRequiredService<AzureTableConversationStore>());
        // Published plans: versioned blobs in <prefix>-plans (docs/operations.md, "Published plans").
        services.AddSingleton(sp => new AzureTablePlanVersionStore(sp.GetRequiredService<TableServiceClient>(), Prefix(sp),
            sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(Prefix(sp).ToLowerInvariant() + "-plans")));
        services.AddSingleton<IPlanVersionStore>(sp => sp.GetRequiredService<AzureTablePlanVersionStore>());
        services.AddSingleton(sp => new AzureTableFeedbackStore(sp.GetRequiredService<TableServiceClient>(), Prefix(sp), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IFeedbackStore>(sp => sp.GetRequiredService<AzureTableFeedbackStore>());
        services.AddSingleton(sp => new AzureTableThreadReplyStore(sp.GetRequiredService<TableServiceClient>(), Prefix(sp), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IThreadReplyStore>(sp => sp.GetRequiredService<AzureTableThreadReplyStore>());
        services.AddSingleton(sp => new AzureTableReplyOutbox(sp.GetRequiredService<TableServiceClient>(), Prefix(sp)));
        services.AddSingleton<IReplyOutbox>(sp => sp.GetRequiredService<AzureTableReplyOutbox>());
        services.AddSingleton(sp => new AzureTableSentCardStore(sp.GetRequiredService<TableServiceClient>(), Prefix(sp)));
        services.AddSingleton<ISentCardStore>(sp => sp.GetRequiredService<AzureTableSentCardStore>());
        services.AddHostedService<AzureStateTablesInitializer>();
        return services;
    }

    private const string LocksKey = "rolloutbot-locks";

    private static string Prefix(IServiceProvider sp) => sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value.TablePrefix;

    // The lead commands read their clock under a key (tests move it); fall back to the app clock.
    private static TimeProvider CommandsTime(IServiceProvider sp) =>
        sp.GetKeyedService<TimeProvider>(CommandsClock.Key) ?? sp.GetRequiredService<TimeProvider>();

    /// <summary>The queue or blob endpoint for the managed identity: the explicit key, else derived from the table endpoint.</summary>
    internal static Uri? ServiceUri(AzureStorageOptions options, string service)
    {
        var configured = service == "queue" ? options.QueueServiceUri : options.BlobServiceUri;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Uri.TryCreate(configured, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.IsLoopback) ? uri : null;
        }
        return Uri.TryCreate(options.TableServiceUri, UriKind.Absolute, out var table) && table.Scheme == Uri.UriSchemeHttps
            && table.Host.Contains(".table.core.windows.net", StringComparison.OrdinalIgnoreCase)
            ? new UriBuilder(table) { Host = table.Host.Replace(".table.", $".{service}.", StringComparison.OrdinalIgnoreCase) }.Uri
            : null;
    }
}
