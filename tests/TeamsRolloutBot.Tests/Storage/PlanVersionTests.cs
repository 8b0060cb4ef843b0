using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Storage.Azure;
using TeamsRolloutBot.Tests.Infrastructure;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>What every <see cref="IPlanVersionStore"/> must do, and the warning when instances run different plans.</summary>
public abstract class PlanVersionStoreContract
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2027, 7, 5, 7, 0, 0, TimeSpan.Zero));

    protected abstract Task<IPlanVersionStore> CreateStoreAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RolloutPlan Plan()
    {
        var path = RepoPaths.SamplePlan;
        return PlanLoader.Parse(File.ReadAllText(path), path, CardMessageRules.Instance).Plan!;
    }

    [Fact]
    public async Task Each_instance_newest_load_is_listed()
    {
        var store = await CreateStoreAsync();
        await store.RecordAsync(new PlanVersion("aaa", "web-1", Time.GetUtcNow(), "Intune", 3), Ct);
        await store.RecordAsync(new PlanVersion("bbb", "web-2", Time.GetUtcNow().AddMinutes(1), "Intune", 3), Ct);
        await store.RecordAsync(new PlanVersion("ccc", "web-1", Time.GetUtcNow().AddMinutes(2), "Intune", 4), Ct);

        var latest = await store.LatestPerInstanceAsync(Ct);
        Assert.Equal([new PlanVersion("ccc", "web-1", Time.GetUtcNow().AddMinutes(2), "Intune", 4), new PlanVersion("bbb", "web-2", Time.GetUtcNow().AddMinutes(1), "Intune", 3)], latest);
    }

    [Fact]
    public async Task An_instance_loading_another_plan_than_the_others_logs_a_warning_naming_them()
    {
        var store = await CreateStoreAsync();
        var logs = new FakeLogCollector();
        using var plans = new PlanProvider(Microsoft.Extensions.Options.Options.Create(new PlanOptions { PlanPath = RepoPaths.SamplePlan }),
            new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { ContentRootPath = RepoPaths.Root }, Time, TeamsRolloutBot.Cards.CardMessageRules.Instance, Microsoft.Extensions.Logging.Abstractions.NullLogger<PlanProvider>.Instance);
        PlanVersionRecorder Recorder() => new(store, plans, Time, new FakeLogger<PlanVersionRecorder>(logs));
        var plan = Plan();
        var same = PlanVersionRecorder.HashOf("waves: []"u8.ToArray());
        var other = PlanVersionRecorder.HashOf("waves: [it]"u8.ToArray());

        Assert.Empty(await Recorder().RecordAsync(same, plan, "web-1", Ct));
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(await Recorder().RecordAsync(same, plan, "web-2", Ct));
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Level == LogLevel.Warning);

        Time.Advance(TimeSpan.FromMinutes(1));
        var differing = await Recorder().RecordAsync(other, plan, "web-2", Ct);
        Assert.Equal(("web-1", same), (Assert.Single(differing).Instance, differing[0].Hash));
        var warning = Assert.Single(logs.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("web-1 runs " + same[..12], warning.Message, StringComparison.Ordinal);
        Assert.Contains("web-2", warning.Message, StringComparison.Ordinal);
        Assert.Equal(plan.Waves.Count, (await store.LatestPerInstanceAsync(Ct)).Single(v => v.Instance == "web-2").WaveCount);
    }

    private PublishedPlan Published(int version, string content, string instance = "web-1") =>
        new(version, PlanVersionRecorder.HashOf(content), content, Time.GetUtcNow().AddMinutes(version), instance, "Uitrol Intune — ‘fase’ 2027");

    [Fact]
    public async Task Nothing_is_published_in_a_new_store()
    {
        var store = await CreateStoreAsync();
        Assert.Null(await store.LatestPublishedAsync(Ct));
        Assert.Null(await store.FindPublishedAsync(PlanVersionRecorder.HashOf("rollout: x"), Ct));
    }

    [Fact]
    public async Task A_published_plan_comes_back_whole_as_the_latest_and_by_its_hash()
    {
        var store = await CreateStoreAsync();
        var first = Published(1, "rollout: Uitrol — één\r\nwaves: []\n");
        Assert.True(await store.PublishAsync(first, Ct));

        Assert.Equal(first, await store.LatestPublishedAsync(Ct));
        Assert.Equal(first, await store.FindPublishedAsync(first.Hash, Ct));
        Assert.Null(await store.FindPublishedAsync(PlanVersionRecorder.HashOf("rollout: other"), Ct));
    }

    [Fact]
    public async Task A_version_is_published_once_and_only_right_after_the_newest()
    {
        var store = await CreateStoreAsync();
        Assert.False(await store.PublishAsync(Published(2, "rollout: two"), Ct));
        Assert.True(await store.PublishAsync(Published(1, "rollout: one"), Ct));
        // Another instance that also read "none published" loses: version 1 exists.
        Assert.False(await store.PublishAsync(Published(1, "rollout: other one", "web-2"), Ct));
        Assert.False(await store.PublishAsync(Published(3, "rollout: three"), Ct));
        Assert.True(await store.PublishAsync(Published(2, "rollout: two", "web-2"), Ct));
        // The same text again later (one instance reverting an edit) is a new version; the hash finds the newest.
        Assert.True(await store.PublishAsync(Published(3, "rollout: one"), Ct));

        var latest = await store.LatestPublishedAsync(Ct);
        Assert.Equal((3, "rollout: one"), (latest!.Version, latest.Content));
        Assert.Equal(3, (await store.FindPublishedAsync(PlanVersionRecorder.HashOf("rollout: one"), Ct))!.Version);
        var two = await store.FindPublishedAsync(PlanVersionRecorder.HashOf("rollout: two"), Ct);
        Assert.Equal((2, "web-2", "rollout: two"), (two!.Version, two.Instance, two.Content));
    }

    [Fact]
    public async Task Two_instances_publishing_the_same_version_at_once_never_both_become_it()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.PublishAsync(Published(1, "rollout: one"), Ct));

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => store.PublishAsync(Published(2, $"rollout: edit {i}", $"web-{i}"), Ct), Ct)));

        var winner = Assert.Single(results.Select((won, i) => (won, i)), r => r.won);
        var latest = await store.LatestPublishedAsync(Ct);
        Assert.Equal((2, $"rollout: edit {winner.i}", $"web-{winner.i}"), (latest!.Version, latest.Content, latest.Instance));
    }
}

public sealed class SqlitePlanVersionStoreTests : PlanVersionStoreContract
{
    protected override Task<IPlanVersionStore> CreateStoreAsync() => Task.FromResult<IPlanVersionStore>(new SqlitePlanVersionStore(StateStoreFixtures.NewSqlite()));
}

public sealed class AzureTablePlanVersionStoreTests(AzuriteFixture azurite) : PlanVersionStoreContract, IClassFixture<AzuriteFixture>
{
    protected override async Task<IPlanVersionStore> CreateStoreAsync()
    {
        var (service, prefix) = await StateStoreFixtures.NewTablesAsync(azurite);
        var store = new AzureTablePlanVersionStore(service, prefix, new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(prefix + "-plans"));
        await store.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        return store;
    }
}
