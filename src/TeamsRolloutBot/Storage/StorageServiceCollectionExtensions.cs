using Microsoft.Extensions.Options;
using TeamsRolloutBot.Storage.Azure;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Storage;

/// <summary>Wiring of the storage provider: <c>Storage:Provider</c> picks the one place that registers every store.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// The SQLite file (always: the AzureStorage provider imports from it once), then exactly one implementation of each
    /// store interface — <see cref="SqliteStorageServiceCollectionExtensions.AddSqliteStorage"/> or
    /// <see cref="AzureStorageServiceCollectionExtensions.AddAzureStorage"/> — the plan publisher and version recorder, and the
    /// readiness check. Features register no store of their own.
    /// </summary>
    public static IServiceCollection AddBotStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection("Storage")).ValidateOnStart()
            .Validate(o => o.Provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase) || o.Provider.Equals("AzureStorage", StringComparison.OrdinalIgnoreCase),
                "Storage:Provider must be 'Sqlite' or 'AzureStorage'.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.SqlitePath), "Storage:SqlitePath must name the database file.");
        services.AddSingleton<SqliteDatabase>();
        if (IsAzureStorage(configuration))
        {
            // Delivery and shared state (outbox, conversations, commands, dedupe, feedback) in Azure Storage; see docs/operations.md.
            services.AddAzureStorage(configuration);
        }
        else
        {
            services.AddSqliteStorage();
        }
        services.AddSingleton(sp => new PlanPublisher(sp.GetRequiredService<IPlanVersionStore>(), IsAzureStorage(configuration),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PlanPublisher>>()));
        services.AddHostedService<PlanVersionRecorder>();
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", tags: ["ready"]);
        return services;
    }

    /// <summary>True when <c>Storage:Provider</c> is AzureStorage (any case).</summary>
    public static bool IsAzureStorage(IConfiguration configuration) =>
        string.Equals(configuration?["Storage:Provider"], "AzureStorage", StringComparison.OrdinalIgnoreCase);
}
