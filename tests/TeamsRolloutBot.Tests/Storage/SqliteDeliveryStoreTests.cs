using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>The contract suite against the SQLite store, each test on its own file.</summary>
public sealed class SqliteDeliveryStoreTests : DeliveryStoreContract
{
    protected override Task<IDeliveryStore> CreateStoreAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), "trb-tests", Guid.NewGuid().ToString("N"), "rollout.db");
        var database = new SqliteDatabase(Options.Create(new StorageOptions { SqlitePath = path }),
            new HostingEnvironment { ContentRootPath = Path.GetTempPath(), EnvironmentName = Environments.Development });
        return Task.FromResult<IDeliveryStore>(new SqliteDeliveryStore(database, new SqliteConversationStore(database, Time), Time));
    }
}
