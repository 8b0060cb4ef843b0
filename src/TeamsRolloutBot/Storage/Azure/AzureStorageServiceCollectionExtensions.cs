using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Commands;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>The <c>Storage</c> keys of the AzureStorage provider: where it keeps delivery state.</summary>
public sealed class AzureStorageOptions
{
    /// <summary><c>Storage:AzureConnectionString</c>: a storage account connection string (account key or SAS). Takes precedence.</summary>
    public string? AzureConnectionString { get; set; }

    /// <summary><c>Storage:TableServiceUri</c>: <c>https://ACCOUNT.table.core.windows.net</c>, reached with the managed identity (DefaultAzureCredential; AZURE_CLIENT_ID picks a user-assigned one).</summary>
    public string? TableServiceUri { get; set; }

    /// <summary><c>Storage:QueueServiceUri</c>: <c>https://ACCOUNT.queue.core.windows.net</c> for the outbox queue (managed identity); derived from TableServiceUri when unset.</summary>
    public string? QueueServiceUri { get; set; }

    /// <summary><c>Storage:BlobServiceUri</c>: <c>https://ACCOUNT.blob.core.windows.net</c> for the leader and wave-lock leases (managed identity); derived from TableServiceUri when unset.</summary>
    public string? BlobServiceUri { get; set; }

    /// <summary><c>Storage:BlobLeaseDuration</c>: how long the leader and wave-lock leases last (15 to 60 seconds, renewed every third); a killed leader is replaced after at most this long.</summary>
    public TimeSpan BlobLeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary><c>Storage:OutboxSweepInterval</c>: how often the leader looks for due jobs whose queue message was lost.</summary>
    public TimeSpan OutboxSweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary><c>Storage:OutboxSweepGrace</c>: how long a due job's message must have gone unseen before the sweep sends a new one.</summary>
    public TimeSpan OutboxSweepGrace { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary><c>Storage:TablePrefix</c>: prefix of the table names (letters and digits), so several bots can share an account.</summary>
    public string TablePrefix { get; set; } = "rolloutbot";

    /// <summary><c>Storage:ImportFromSqlite</c>: on the first start with AzureStorage, copy the delivery state of the SQLite file (<c>Storage:SqlitePath</c>) into the tables.</summary>
    public bool ImportFromSqlite { get; set; } = true;
}

/// <summary>Wiring of <c>Storage:Provider=AzureStorage</c>.</summary>
public static class AzureStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AzureTableDeliveryStore"/> as the <see cref="IDeliveryStore"/> and creates its tables at start.
    /// Call before <c>AddDelivery</c> (which registers the SQLite store only when no store is registered yet).
    /// </summary>
    public static IServiceCollection AddAzureDeliveryStore(this IServiceCollection services, IConfiguration configuration)
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
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value;
            return string.IsNullOrWhiteSpace(options.AzureConnectionString)
                ? new TableServiceClient(new Uri(options.TableServiceUri!), new DefaultAzureCredential())
                : new TableServiceClient(options.AzureConnectionString);
        });
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value;
            return string.IsNullOrWhiteSpace(options.AzureConnectionString)
                ? new QueueServiceClient(ServiceUri(options, "queue"), new DefaultAzureCredential())
                : new QueueServiceClient(options.AzureConnectionString);
        });
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value;
            return string.IsNullOrWhiteSpace(options.AzureConnectionString)
                ? new BlobServiceClient(ServiceUri(options, "blob"), new DefaultAzureCredential())
                : new BlobServiceClient(options.AzureConnectionString);
        });
        // Leader election and wave locks: blob leases in <prefix>-locks (docs/operations.md, section 12).
        services.TryAddKeyedSingleton(LocksKey, (sp, _) => sp.GetRequiredService<BlobServiceClient>()
            .GetBlobContainerClient(sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value.TablePrefix.ToLowerInvariant() + "-locks"));
        services.TryAddSingleton(sp => new BlobLeaseLeadership(sp.GetRequiredKeyedService<BlobContainerClient>(LocksKey),
            sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value.BlobLeaseDuration, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<BlobLeaseLeadership>>()));
        services.TryAddSingleton<ILeadership>(sp => sp.GetRequiredService<BlobLeaseLeadership>());
        services.TryAddSingleton<IWaveLocks>(sp => new BlobWaveLocks(sp.GetRequiredKeyedService<BlobContainerClient>(LocksKey),
            sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value.BlobLeaseDuration, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp =>
        {
            // Paused and cancelled waves come from the shared wave state table (AddAzureStateStores).
            var waves = sp.GetService<IWaveStateStore>();
            var options = sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value;
            return new AzureTableDeliveryStore(sp.GetRequiredService<TableServiceClient>(), options.TablePrefix, sp.GetRequiredService<TimeProvider>(),
                waves is null ? null : async ct => WaveStates.Held(await waves.ReadAllAsync(ct)),
                sp.GetRequiredService<QueueServiceClient>().GetQueueClient(options.TablePrefix.ToLowerInvariant() + "outbox"),
                new OutboxQueueOptions { SweepGrace = options.OutboxSweepGrace });
        });
        services.TryAddSingleton<IDeliveryStore>(sp => sp.GetRequiredService<AzureTableDeliveryStore>());
        services.TryAddSingleton<Delivery.IInstanceRegistry>(sp => new AzureTableInstanceRegistry(sp.GetRequiredService<TableServiceClient>(),
            sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value.TablePrefix, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<Delivery.DeliveryOptions>>().Value.InstanceHeartbeat * 3));
        services.AddHostedService<AzureTablesInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<BlobLeaseLeadership>());
        services.AddHostedService<OutboxSweeper>();
        services.AddAzureStateStores();
        return services;
    }

    private const string LocksKey = "rolloutbot-locks";

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

/// <summary>Every <c>Storage:OutboxSweepInterval</c>, on the leader only: gives due jobs that lost their queue message a new one.</summary>
internal sealed partial class OutboxSweeper(AzureTableDeliveryStore store, ILeadership leadership, IOptions<AzureStorageOptions> options, TimeProvider time,
    ILogger<OutboxSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await leadership.WaitForLeadershipAsync(stoppingToken);
                if (await store.SweepAsync(stoppingToken) is > 0 and var count)
                {
                    LogSwept(logger, count);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogSweepFailed(logger, ex);
            }
            try
            {
                await Task.Delay(options.Value.OutboxSweepInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 9120, Level = LogLevel.Warning, Message = "Outbox sweep: {Count} due jobs had no queue message and were queued again.")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(EventId = 9121, Level = LogLevel.Error, Message = "Outbox sweep failed; trying again at the next interval.")]
    private static partial void LogSweepFailed(ILogger logger, Exception ex);
}

/// <summary>
/// Creates the store's tables when the app starts (every instance may; creation is idempotent) and, the first time,
/// copies the SQLite file's delivery state into them, before the scheduler and dispatcher start.
/// </summary>
internal sealed partial class AzureTablesInitializer(AzureTableDeliveryStore store, SqliteDatabase database, IOptions<AzureStorageOptions> options,
    [FromKeyedServices("rolloutbot-locks")] BlobContainerClient locks, ILogger<AzureTablesInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.EnsureCreatedAsync(cancellationToken);
        await locks.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        if (options.Value.ImportFromSqlite && await store.ImportFromSqliteOnceAsync(database, cancellationToken) is { } copied)
        {
            LogImported(logger, copied.Sends, copied.Jobs);
            // The copied outbox has no queue messages yet: one per queued job, hidden until it is due.
            await store.SignalQueuedAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "AzureStorage: copied the SQLite file's delivery state into the tables ({Sends} planned sends, {Jobs} jobs).")]
    private static partial void LogImported(ILogger logger, int sends, int jobs);
}
