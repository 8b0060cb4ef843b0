using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Storage.Azure;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>What every <see cref="IInboundActivityLog"/> must do; run against SQLite and Azure Table Storage (Azurite).</summary>
public abstract class InboundActivityLogContract
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2027, 7, 5, 7, 0, 0, TimeSpan.Zero));

    /// <summary>Two handles on one new, empty log (two instances of the bot sharing it).</summary>
    protected abstract Task<(IInboundActivityLog First, IInboundActivityLog Second)> CreateLogsAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_redelivery_to_another_instance_is_not_claimed_again_until_released()
    {
        var (first, second) = await CreateLogsAsync();
        Assert.True(await first.TryClaimAsync("msteams", "19:abc@thread.tacv2;messageid=1", "act-1", Ct));
        Assert.False(await second.TryClaimAsync("msteams", "19:abc@thread.tacv2;messageid=1", "act-1", Ct));
        Assert.False(await first.TryClaimAsync("msteams", "19:abc@thread.tacv2;messageid=1", "act-1", Ct));
        // Another activity, or the same id in another conversation, is new.
        Assert.True(await second.TryClaimAsync("msteams", "19:abc@thread.tacv2;messageid=1", "act-2", Ct));
        Assert.True(await second.TryClaimAsync("msteams", "a:personal/1", "act-1", Ct));

        // Handling failed on the first instance: Teams' next redelivery is handled (once).
        await first.ReleaseAsync("msteams", "19:abc@thread.tacv2;messageid=1", "act-1", Ct);
        Assert.True(await second.TryClaimAsync("msteams", "19:abc@thread.tacv2;messageid=1", "act-1", Ct));
        Assert.False(await first.TryClaimAsync("msteams", "19:abc@thread.tacv2;messageid=1", "act-1", Ct));
        // Releasing what is not claimed is harmless.
        await first.ReleaseAsync("msteams", "never", "seen", Ct);
    }

    [Fact]
    public async Task Two_instances_claiming_the_same_activity_at_once_handle_it_once()
    {
        var (first, second) = await CreateLogsAsync();
        for (var activity = 0; activity < 5; activity++)
        {
            var id = $"act-{activity}";
            var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? first : second).TryClaimAsync("msteams", "a:1", id, Ct)));
            Assert.Single(claims, c => c);
        }
    }
}

public sealed class SqliteInboundActivityLogTests : InboundActivityLogContract
{
    protected override Task<(IInboundActivityLog First, IInboundActivityLog Second)> CreateLogsAsync()
    {
        var database = StateStoreFixtures.NewSqlite();
        return Task.FromResult<(IInboundActivityLog, IInboundActivityLog)>((new SqliteInboundActivityLog(database, Time), new SqliteInboundActivityLog(database, Time)));
    }
}

public sealed class AzureTableInboundActivityLogTests(AzuriteFixture azurite) : InboundActivityLogContract, IClassFixture<AzuriteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected override async Task<(IInboundActivityLog First, IInboundActivityLog Second)> CreateLogsAsync()
    {
        var (service, prefix) = await StateStoreFixtures.NewTablesAsync(azurite);
        return (new AzureTableInboundActivityLog(service, prefix, Time), new AzureTableInboundActivityLog(new TableServiceClient(azurite.ConnectionString), prefix, Time));
    }

    [Fact]
    public async Task Pruning_drops_claims_older_than_the_cutoff_only()
    {
        var (service, prefix) = await StateStoreFixtures.NewTablesAsync(azurite);
        var log = new AzureTableInboundActivityLog(service, prefix, Time);
        await log.TryClaimAsync("msteams", "a:1", "old", Ct);
        Time.Advance(TimeSpan.FromDays(2));
        await log.TryClaimAsync("msteams", "a:1", "new", Ct);

        await log.PruneAsync(Time.GetUtcNow() - TimeSpan.FromDays(1), Ct);
        Assert.True(await log.TryClaimAsync("msteams", "a:1", "old", Ct));
        Assert.False(await log.TryClaimAsync("msteams", "a:1", "new", Ct));
    }
}
