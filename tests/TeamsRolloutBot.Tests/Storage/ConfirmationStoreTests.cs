using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Storage.Azure;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>What every <see cref="IConfirmationStore"/> must do; run against SQLite and Azure Table Storage (Azurite).</summary>
public abstract class ConfirmationStoreContract
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2027, 7, 5, 7, 0, 0, TimeSpan.Zero));

    /// <summary>Two handles on one new, empty store (two instances of the bot sharing it), both on <see cref="Time"/>.</summary>
    protected abstract Task<(IConfirmationStore First, IConfirmationStore Second)> CreateStoresAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Only_the_asking_lead_decides_and_the_decision_is_read_back_everywhere()
    {
        var (first, second) = await CreateStoresAsync();
        var id = await first.CreateAsync("send pre-1 to it now", 120, "lead-aad", "Anna Lead", TimeSpan.FromMinutes(10), Ct);
        var pending = await second.FindAsync(id, Ct);
        Assert.Equal(("send pre-1 to it now", (int?)120, "lead-aad", "Anna Lead", ConfirmationStates.Pending, Time.GetUtcNow().AddMinutes(10)),
            (pending!.Command, pending.Recipients, pending.RequestedBy, pending.RequestedByName, pending.State, pending.ExpiresAt));

        Assert.False(await second.TryDecideAsync(id, ConfirmationStates.Confirmed, "other-lead", "Bob", Ct));
        Assert.Equal(ConfirmationStates.Pending, (await first.FindAsync(id, Ct))!.State);

        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await second.TryDecideAsync(id, ConfirmationStates.Confirmed, "LEAD-AAD", "Anna Lead", Ct));
        await second.SetResultAsync(id, "sent to 120 people", Ct);
        var decided = await first.FindAsync(id, Ct);
        Assert.Equal((ConfirmationStates.Confirmed, "Anna Lead", (DateTimeOffset?)Time.GetUtcNow(), "sent to 120 people"),
            (decided!.State, decided.DecidedByName, decided.DecidedAt, decided.Result));
        // A decline after the confirmation changes nothing.
        Assert.False(await first.TryDecideAsync(id, ConfirmationStates.Declined, "lead-aad", "Anna Lead", Ct));
        Assert.Equal(ConfirmationStates.Confirmed, (await second.FindAsync(id, Ct))!.State);
    }

    [Fact]
    public async Task Two_instances_confirming_the_same_click_at_once_act_once()
    {
        var (first, second) = await CreateStoresAsync();
        var id = await first.CreateAsync("cancel it", null, "lead-aad", "Anna Lead", TimeSpan.FromMinutes(10), Ct);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? first : second)
            .TryDecideAsync(id, i % 3 == 0 ? ConfirmationStates.Declined : ConfirmationStates.Confirmed, "lead-aad", "Anna Lead", Ct)));
        Assert.Single(results, r => r);
        Assert.NotEqual(ConfirmationStates.Pending, (await first.FindAsync(id, Ct))!.State);
    }

    [Fact]
    public async Task An_expired_or_unknown_confirmation_cannot_be_decided()
    {
        var (first, _) = await CreateStoresAsync();
        var id = await first.CreateAsync("cancel it", null, "lead-aad", null, TimeSpan.FromMinutes(10), Ct);
        Time.Advance(TimeSpan.FromMinutes(11));
        Assert.False(await first.TryDecideAsync(id, ConfirmationStates.Confirmed, "lead-aad", null, Ct));
        Assert.Equal(ConfirmationStates.Pending, (await first.FindAsync(id, Ct))!.State);
        Assert.False(await first.TryDecideAsync("0123456789abcdef0123456789abcdef", ConfirmationStates.Confirmed, "lead-aad", null, Ct));
        Assert.Null(await first.FindAsync("0123456789abcdef0123456789abcdef", Ct));
    }
}

public sealed class SqliteConfirmationStoreTests : ConfirmationStoreContract
{
    protected override Task<(IConfirmationStore First, IConfirmationStore Second)> CreateStoresAsync()
    {
        var database = StateStoreFixtures.NewSqlite();
        return Task.FromResult<(IConfirmationStore, IConfirmationStore)>((new SqliteConfirmationStore(database, Time), new SqliteConfirmationStore(database, Time)));
    }
}

public sealed class AzureTableConfirmationStoreTests(AzuriteFixture azurite) : ConfirmationStoreContract, IClassFixture<AzuriteFixture>
{
    protected override async Task<(IConfirmationStore First, IConfirmationStore Second)> CreateStoresAsync()
    {
        var (service, prefix) = await StateStoreFixtures.NewTablesAsync(azurite);
        return (new AzureTableConfirmationStore(service, prefix, Time), new AzureTableConfirmationStore(new TableServiceClient(azurite.ConnectionString), prefix, Time));
    }
}
