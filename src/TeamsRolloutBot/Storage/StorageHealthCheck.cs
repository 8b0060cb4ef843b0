using Microsoft.Extensions.Diagnostics.HealthChecks;
using TeamsRolloutBot.Storage.Azure;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Storage;

/// <summary>
/// Ready when the SQLite file opens and answers a query and, with the AzureStorage provider (which registers
/// <paramref name="azureTables"/>), the account answers and has every table.
/// </summary>
public sealed class StorageHealthCheck(SqliteDatabase database, AzureStorageTables? azureTables = null) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await database.ScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations", cancellationToken);
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy("The SQLite store cannot be opened.", ex);
        }
        if (azureTables is not { } tables)
        {
            return HealthCheckResult.Healthy();
        }
        try
        {
            var missing = await tables.MissingAsync(cancellationToken);
            return missing.Count == 0
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("Azure Table Storage lacks tables: " + string.Join(", ", missing));
        }
        catch (Exception ex) when (ex is global::Azure.RequestFailedException or HttpRequestException or global::Azure.Identity.AuthenticationFailedException)
        {
            return HealthCheckResult.Unhealthy("Azure Table Storage cannot be reached.", ex);
        }
    }
}
