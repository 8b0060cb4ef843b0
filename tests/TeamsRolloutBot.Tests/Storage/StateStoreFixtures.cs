using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Storage.Azure;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>Fresh, isolated backends for the state store contract suites: a new SQLite file, or new tables on Azurite.</summary>
internal static class StateStoreFixtures
{
    public static SqliteDatabase NewSqlite() => new(
        Options.Create(new StorageOptions { SqlitePath = Path.Combine(Path.GetTempPath(), "trb-tests", Guid.NewGuid().ToString("N"), "rollout.db") }),
        new HostingEnvironment { ContentRootPath = Path.GetTempPath(), EnvironmentName = Environments.Development });

    /// <summary>A new table prefix with every table of the provider created.</summary>
    public static async Task<(TableServiceClient Service, string Prefix)> NewTablesAsync(AzuriteFixture azurite)
    {
        var service = new TableServiceClient(azurite.ConnectionString);
        var prefix = "s" + Guid.NewGuid().ToString("N")[..12];
        await new AzureStorageTables(service, prefix).EnsureCreatedAsync(TestContext.Current.CancellationToken);
        return (service, prefix);
    }
}
