using Microsoft.Extensions.Time.Testing;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Storage.Azure;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>What every <see cref="IWaveStateStore"/> must do; run against SQLite and Azure Table Storage (Azurite).</summary>
public abstract class WaveStateStoreContract
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2027, 7, 5, 7, 0, 0, TimeSpan.Zero));

    /// <summary>Two handles on one new, empty store (two instances of the bot sharing it).</summary>
    protected abstract Task<(IWaveStateStore First, IWaveStateStore Second)> CreateStoresAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_stored_state_is_read_back_by_every_instance_and_held_waves_are_listed()
    {
        var (first, second) = await CreateStoresAsync();
        Assert.Null(await first.FindAsync("it", Ct));
        Assert.Empty(await first.ReadAllAsync(Ct));

        Assert.True(await first.TrySaveAsync(new StoredWaveState("it", WaveState.Paused, null, Time.GetUtcNow(), "lead-1"), null, Ct));
        Assert.True(await first.TrySaveAsync(new StoredWaveState("hr", WaveState.Started, new DateOnly(2027, 8, 2), Time.GetUtcNow(), "lead-2"), null, Ct));

        var it = await second.FindAsync("it", Ct);
        Assert.Equal((WaveState.Paused, (DateOnly?)null, "lead-1", Time.GetUtcNow()), (it!.State, it.Start, it.UpdatedBy, it.UpdatedAt));
        Assert.NotNull(it.Version);
        var all = await second.ReadAllAsync(Ct);
        Assert.Equal((WaveState.Started, (DateOnly?)new DateOnly(2027, 8, 2)), all["hr"]);
        Assert.Equal(["it"], WaveStates.Held(all));
    }

    [Fact]
    public async Task A_change_decided_on_a_stale_read_is_refused_so_a_cancel_is_never_undone()
    {
        var (first, second) = await CreateStoresAsync();
        await first.TrySaveAsync(new StoredWaveState("it", WaveState.Started, null, Time.GetUtcNow(), "lead-1"), null, Ct);
        var readByFirst = await first.FindAsync("it", Ct);
        var readBySecond = await second.FindAsync("it", Ct);

        // The second instance cancels; the first then tries to pause on what it read before.
        Assert.True(await second.TrySaveAsync(readBySecond! with { State = WaveState.Cancelled, UpdatedBy = "lead-2" }, readBySecond!.Version, Ct));
        Assert.False(await first.TrySaveAsync(readByFirst! with { State = WaveState.Paused }, readByFirst!.Version, Ct));
        Assert.Equal(WaveState.Cancelled, (await first.FindAsync("it", Ct))!.State);

        // A first save of a wave another instance already stored is refused too.
        Assert.False(await first.TrySaveAsync(new StoredWaveState("it", WaveState.Paused, null, Time.GetUtcNow(), "lead-1"), null, Ct));
        // On the fresh version the change goes through, and the version moves on.
        var fresh = await first.FindAsync("it", Ct);
        Assert.True(await first.TrySaveAsync(fresh! with { State = WaveState.Paused }, fresh!.Version, Ct));
        Assert.NotEqual(fresh.Version, (await first.FindAsync("it", Ct))!.Version);
    }

    [Fact]
    public async Task Of_two_instances_writing_on_the_same_read_exactly_one_wins()
    {
        var (first, second) = await CreateStoresAsync();
        await first.TrySaveAsync(new StoredWaveState("it", WaveState.Started, null, Time.GetUtcNow(), "lead-1"), null, Ct);
        var read = (await first.FindAsync("it", Ct))!;
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? first : second)
            .TrySaveAsync(read with { State = i % 2 == 0 ? WaveState.Paused : WaveState.Cancelled, UpdatedBy = $"lead-{i}" }, read.Version, Ct)));
        Assert.Single(results, r => r);
    }

    [Fact]
    public async Task A_send_now_request_is_recorded_once_and_read_oldest_first()
    {
        var (first, second) = await CreateStoresAsync();
        var now = Time.GetUtcNow();
        Assert.True(await first.AddSendNowAsync("r2", "it", "pre-1", ["it", "hr"], "lead-1", now.AddMinutes(1), Ct));
        Assert.True(await first.AddSendNowAsync("r1", "it", "post-1", ["it"], "lead-1", now, Ct));
        // The same request on another instance (a redelivered confirmation) adds nothing.
        Assert.False(await second.AddSendNowAsync("r2", "it", "pre-1", ["it", "hr"], "lead-1", now.AddMinutes(2), Ct));

        var requests = await second.ReadSendNowAsync(Ct);
        Assert.Equal(["r1", "r2"], requests.Select(r => r.RequestId));
        Assert.Equal(["it", "hr"], requests[1].DepartmentIds);
        Assert.Equal(("it", "pre-1", now.AddMinutes(1)), (requests[1].WaveId, requests[1].MessageId, requests[1].CreatedAt));
    }
}

public sealed class SqliteWaveStateStoreTests : WaveStateStoreContract
{
    protected override Task<(IWaveStateStore First, IWaveStateStore Second)> CreateStoresAsync()
    {
        var database = StateStoreFixtures.NewSqlite();
        return Task.FromResult<(IWaveStateStore, IWaveStateStore)>((new SqliteWaveStateStore(database), new SqliteWaveStateStore(database)));
    }
}

public sealed class AzureTableWaveStateStoreTests(AzuriteFixture azurite) : WaveStateStoreContract, IClassFixture<AzuriteFixture>
{
    protected override async Task<(IWaveStateStore First, IWaveStateStore Second)> CreateStoresAsync()
    {
        var (service, prefix) = await StateStoreFixtures.NewTablesAsync(azurite);
        return (new AzureTableWaveStateStore(service, prefix), new AzureTableWaveStateStore(new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString), prefix));
    }
}
