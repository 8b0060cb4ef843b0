using Azure.Data.Tables;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Storage.Azure;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>The contract suite against the Azure Table Storage store on Azurite, each test on its own tables.</summary>
public sealed class AzureTableDeliveryStoreTests(AzuriteFixture azurite) : DeliveryStoreContract, IClassFixture<AzuriteFixture>
{
    protected override async Task<IDeliveryStore> CreateStoreAsync()
    {
        var store = new AzureTableDeliveryStore(new TableServiceClient(azurite.ConnectionString), "t" + Guid.NewGuid().ToString("N")[..12], Time);
        await store.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        return store;
    }
}
