using Microsoft.Extensions.Time.Testing;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Storage.Azure;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>What every <see cref="IApprovalStore"/> must do; run against SQLite and Azure Table Storage (Azurite).</summary>
public abstract class ApprovalStoreContract
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2027, 7, 5, 7, 0, 0, TimeSpan.Zero));

    /// <summary>Two handles on one new, empty store (two instances of the bot sharing it).</summary>
    protected abstract Task<(IApprovalStore First, IApprovalStore Second)> CreateStoresAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private WaveApproval New(string wave) => new(wave, "enroll=abc", WaveApproval.Pending, Time.GetUtcNow(), "lead\thttps://x/\ta:lead\t1\ten", null, null, null, null, 0);

    [Fact]
    public async Task An_approval_is_read_back_by_every_instance_with_every_field()
    {
        var (first, second) = await CreateStoresAsync();
        Assert.Null(await first.FindAsync("pilot", Ct));
        Assert.Empty(await first.ReadAllAsync(Ct));

        Assert.True(await first.TrySaveAsync(New("pilot"), null, Ct));
        var stored = (await second.FindAsync("pilot", Ct))!;
        var decided = stored with
        {
            State = WaveApproval.Approved, DecidedBy = "lead-1", DecidedByName = "Lotte Lead", DecidedAt = Time.GetUtcNow().AddHours(1),
            RemindedAt = Time.GetUtcNow().AddMinutes(30), Reminders = 2,
        };
        Assert.True(await second.TrySaveAsync(decided, stored.Version, Ct));

        var read = (await first.FindAsync("pilot", Ct))!;
        Assert.Equal(decided with { Version = read.Version }, read);
        Assert.True(read.IsApproved);
        Assert.Equal(["pilot"], (await first.ReadAllAsync(Ct)).Select(a => a.WaveId));
    }

    [Fact]
    public async Task A_decision_on_a_stale_read_is_refused_so_one_approval_wins()
    {
        var (first, second) = await CreateStoresAsync();
        Assert.True(await first.TrySaveAsync(New("pilot"), null, Ct));
        // A second first save (another instance) is refused.
        Assert.False(await second.TrySaveAsync(New("pilot"), null, Ct));
        var read = (await first.FindAsync("pilot", Ct))!;
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? first : second)
            .TrySaveAsync(read with { State = i % 2 == 0 ? WaveApproval.Approved : WaveApproval.Held, DecidedBy = $"lead-{i}" }, read.Version, Ct)));
        Assert.Single(results, r => r);
        Assert.NotEqual(read.Version, (await second.FindAsync("pilot", Ct))!.Version);
    }
}

public sealed class SqliteApprovalStoreTests : ApprovalStoreContract
{
    protected override Task<(IApprovalStore First, IApprovalStore Second)> CreateStoresAsync()
    {
        var database = StateStoreFixtures.NewSqlite();
        return Task.FromResult<(IApprovalStore, IApprovalStore)>((new SqliteApprovalStore(database), new SqliteApprovalStore(database)));
    }
}

public sealed class AzureTableApprovalStoreTests(AzuriteFixture azurite) : ApprovalStoreContract, IClassFixture<AzuriteFixture>
{
    protected override async Task<(IApprovalStore First, IApprovalStore Second)> CreateStoresAsync()
    {
        var (service, prefix) = await StateStoreFixtures.NewTablesAsync(azurite);
        return (new AzureTableApprovalStore(service, prefix), new AzureTableApprovalStore(new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString), prefix));
    }
}
