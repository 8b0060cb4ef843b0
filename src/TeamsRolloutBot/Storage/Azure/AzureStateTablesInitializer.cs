using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Storage.Azure;

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
