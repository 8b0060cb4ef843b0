using Azure.Data.Tables;
using TeamsRolloutBot.Delivery;
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

    [Fact]
    public async Task Two_instances_leasing_the_same_tables_at_once_never_get_the_same_job()
    {
        var prefix = "r" + Guid.NewGuid().ToString("N")[..12];
        var first = new AzureTableDeliveryStore(new TableServiceClient(azurite.ConnectionString), prefix, Time);
        var second = new AzureTableDeliveryStore(new TableServiceClient(azurite.ConnectionString), prefix, Time);
        await first.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        var jobs = Enumerable.Range(0, 60).Select(i => new OutboxJob($"s|personal|u{i}", "s", "it", "pre-1", "it", DeliveryKind.Personal, $"u{i}", "nl", Time.GetUtcNow())).ToList();
        // Both instances expand the same send: each job is added once.
        var added = await Task.WhenAll(first.EnqueueAsync(jobs, TestContext.Current.CancellationToken), second.EnqueueAsync(jobs, TestContext.Current.CancellationToken));
        Assert.Equal(60, added.Sum());

        var leases = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? first : second)
            .LeaseAsync($"instance-{i}", 15, Time.GetUtcNow(), TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken)));
        var keys = leases.SelectMany(l => l.Select(j => j.Job.Key)).ToList();
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        // Whatever the race left over is handed out on the next round, still once.
        var rest = await first.LeaseAsync("late", 100, Time.GetUtcNow(), TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        Assert.Equal(60, keys.Concat(rest.Select(j => j.Job.Key)).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(60, keys.Count + rest.Count);
    }
}
