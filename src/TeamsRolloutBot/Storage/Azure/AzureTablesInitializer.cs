using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>
/// Creates the store's tables and blob containers when the app starts (every instance may; creation is idempotent) and, the first time,
/// copies the SQLite file's delivery state into them, before the scheduler and dispatcher start.
/// </summary>
internal sealed partial class AzureTablesInitializer(AzureTableDeliveryStore store, SqliteDatabase database, IOptions<AzureStorageOptions> options,
    [FromKeyedServices("rolloutbot-locks")] BlobContainerClient locks, AzureTablePlanVersionStore plans, ILogger<AzureTablesInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.EnsureCreatedAsync(cancellationToken);
        await locks.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await plans.EnsureCreatedAsync(cancellationToken);
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
