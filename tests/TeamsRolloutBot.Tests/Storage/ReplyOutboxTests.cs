using Azure.Data.Tables;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Storage.Azure;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>What every <see cref="IReplyOutbox"/> must do; run against SQLite and Azure Table Storage (Azurite).</summary>
public abstract class ReplyOutboxContract
{
    protected static readonly DateTimeOffset Now = new(2027, 7, 5, 7, 0, 0, TimeSpan.Zero);

    /// <summary>Two handles on one new, empty outbox (two instances sharing it).</summary>
    protected abstract Task<(IReplyOutbox First, IReplyOutbox Second)> CreateAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static PendingReply Reply(string id, DateTimeOffset due, string? replyTo = "act-1") =>
        new(id, "https://smba.trafficmanager.net/teams/", "a:conv-" + id, replyTo, """{"type":"message","text":"hallo"}""", 1, due, Now.AddSeconds(-5), "Transient 502");

    [Fact]
    public async Task A_due_reply_is_leased_once_and_comes_back_whole()
    {
        var (first, second) = await CreateAsync();
        await first.AddAsync(Reply("r1", Now), Ct);
        await first.AddAsync(Reply("r1", Now.AddHours(1)), Ct); // the same id again keeps the first
        await first.AddAsync(Reply("later", Now.AddMinutes(5), replyTo: null), Ct);
        Assert.Equal(2, await second.CountAsync(Ct));

        var leased = Assert.Single(await second.LeaseDueAsync(Now, 10, TimeSpan.FromMinutes(1), Ct));
        Assert.Equal(("r1", "a:conv-r1", "act-1", """{"type":"message","text":"hallo"}""", 1, "Transient 502"),
            (leased.Id, leased.ConversationId, leased.ReplyToId, leased.ActivityJson, leased.Attempts, leased.LastError));
        // Leased: nobody else gets it until the lease runs out.
        Assert.Empty(await first.LeaseDueAsync(Now, 10, TimeSpan.FromMinutes(1), Ct));
        Assert.Equal(["r1"], (await first.LeaseDueAsync(Now.AddMinutes(2), 10, TimeSpan.FromMinutes(1), Ct)).Select(r => r.Id));
        var both = await second.LeaseDueAsync(Now.AddMinutes(10), 10, TimeSpan.FromMinutes(1), Ct);
        Assert.Equal(["later", "r1"], both.Select(r => r.Id).Order());
        Assert.Null(both.Single(r => r.Id == "later").ReplyToId);
    }

    [Fact]
    public async Task A_reschedule_counts_the_attempt_and_a_removal_ends_it()
    {
        var (first, second) = await CreateAsync();
        await first.AddAsync(Reply("r2", Now), Ct);
        await second.RescheduleAsync("r2", Now.AddSeconds(30), "Throttled 429", Ct);
        Assert.Empty(await first.LeaseDueAsync(Now.AddSeconds(29), 10, TimeSpan.FromMinutes(1), Ct));
        var again = Assert.Single(await first.LeaseDueAsync(Now.AddSeconds(30), 10, TimeSpan.FromMinutes(1), Ct));
        Assert.Equal((2, "Throttled 429"), (again.Attempts, again.LastError));
        await second.RemoveAsync("r2", Ct);
        Assert.Equal(0, await first.CountAsync(Ct));
        Assert.Empty(await first.LeaseDueAsync(Now.AddDays(1), 10, TimeSpan.FromMinutes(1), Ct));
    }

    [Fact]
    public async Task Two_instances_leasing_at_once_take_each_reply_once()
    {
        var (first, second) = await CreateAsync();
        for (var i = 0; i < 12; i++)
        {
            await first.AddAsync(Reply($"p{i:00}", Now), Ct);
        }
        var takes = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => (i % 2 == 0 ? first : second).LeaseDueAsync(Now, 5, TimeSpan.FromMinutes(1), Ct)));
        var ids = takes.SelectMany(t => t).Select(r => r.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(12, ids.Count);
    }
}

public sealed class SqliteReplyOutboxTests : ReplyOutboxContract
{
    protected override Task<(IReplyOutbox First, IReplyOutbox Second)> CreateAsync()
    {
        var database = StateStoreFixtures.NewSqlite();
        return Task.FromResult<(IReplyOutbox, IReplyOutbox)>((new SqliteReplyOutbox(database), new SqliteReplyOutbox(database)));
    }
}

public sealed class AzureTableReplyOutboxTests(AzuriteFixture azurite) : ReplyOutboxContract, IClassFixture<AzuriteFixture>
{
    protected override async Task<(IReplyOutbox First, IReplyOutbox Second)> CreateAsync()
    {
        var (service, prefix) = await StateStoreFixtures.NewTablesAsync(azurite);
        return (new AzureTableReplyOutbox(service, prefix), new AzureTableReplyOutbox(new TableServiceClient(azurite.ConnectionString), prefix));
    }
}
