using Azure.Data.Tables;
using Azure.Identity;
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
            // Paused and cancelled waves come from the shared wave state table (AddAzureStateStores).
            var waves = sp.GetService<IWaveStateStore>();
            return new AzureTableDeliveryStore(sp.GetRequiredService<TableServiceClient>(),
                sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value.TablePrefix, sp.GetRequiredService<TimeProvider>(),
                waves is null ? null : async ct => WaveStates.Held(await waves.ReadAllAsync(ct)));
        });
        services.TryAddSingleton<IDeliveryStore>(sp => sp.GetRequiredService<AzureTableDeliveryStore>());
        services.TryAddSingleton<Delivery.IInstanceRegistry>(sp => new AzureTableInstanceRegistry(sp.GetRequiredService<TableServiceClient>(),
            sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value.TablePrefix, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<Delivery.DeliveryOptions>>().Value.InstanceHeartbeat * 3));
        services.AddHostedService<AzureTablesInitializer>();
        services.AddAzureStateStores();
        return services;
    }
}

/// <summary>
/// Creates the store's tables when the app starts (every instance may; creation is idempotent) and, the first time,
/// copies the SQLite file's delivery state into them, before the scheduler and dispatcher start.
/// </summary>
internal sealed partial class AzureTablesInitializer(AzureTableDeliveryStore store, SqliteDatabase database, IOptions<AzureStorageOptions> options,
    ILogger<AzureTablesInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.EnsureCreatedAsync(cancellationToken);
        if (options.Value.ImportFromSqlite && await store.ImportFromSqliteOnceAsync(database, cancellationToken) is { } copied)
        {
            LogImported(logger, copied.Sends, copied.Jobs);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "AzureStorage: copied the SQLite file's delivery state into the tables ({Sends} planned sends, {Jobs} jobs).")]
    private static partial void LogImported(ILogger logger, int sends, int jobs);
}
