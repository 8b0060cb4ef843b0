using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using TeamsRolloutBot.Feedback.Replies;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Storage.Azure;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>What every <see cref="IThreadReplyStore"/> must do; run against SQLite and Azure Table Storage (Azurite).</summary>
public abstract class ThreadReplyStoreContract
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2027, 7, 5, 7, 0, 0, TimeSpan.Zero));

    /// <summary>Two handles on one new, empty store (two instances of the bot sharing it) and the conversation store beside it.</summary>
    protected abstract Task<(IThreadReplyStore First, IThreadReplyStore Second, IConversationStore Conversations)> CreateStoresAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ThreadRoot Root(string id = "1700000000001", string? team = "19:team@thread.tacv2", string? group = null, int minutes = 0) =>
        new(id, "19:chan@thread.tacv2", team, group, "w1", "it", "pre-1", Time.GetUtcNow().AddMinutes(minutes));

    private IncomingReply Reply(string text, ReplySource source = ReplySource.Live, int modifiedMinutes = 0, string id = "1700000000100", DateTimeOffset? deleted = null) =>
        new(id, "1700000000001", "aad-1", "Anna", text, Time.GetUtcNow(), Time.GetUtcNow().AddMinutes(modifiedMinutes), deleted, source);

    [Fact]
    public async Task Roots_are_tracked_once_and_learn_their_team_group_id()
    {
        var (first, second, _) = await CreateStoresAsync();
        await first.TrackAsync(Root(), Ct);
        await second.TrackAsync(Root(group: "group-1"), Ct);
        await first.TrackAsync(Root(group: "group-2"), Ct);
        await first.TrackAsync(Root("1700000000002", minutes: 1), Ct);
        await first.TrackAsync(Root("1700000000003", team: "19:other@thread.tacv2", minutes: 2), Ct);
        Assert.Equal("group-1", (await second.FindRootAsync("1700000000001", Ct))!.TeamAadGroupId);
        Assert.Null(await second.FindRootAsync("1700000000009", Ct));

        await second.LearnTeamGroupAsync("1700000000002", "group-1", Ct);
        var roots = await first.RootsAsync(Ct);
        Assert.Equal(["1700000000001", "1700000000002", "1700000000003"], roots.Select(r => r.RootMessageId));
        Assert.Equal(["group-1", "group-1", null], roots.Select(r => r.TeamAadGroupId));
    }

    [Fact]
    public async Task A_reply_is_stored_once_edits_keep_the_earlier_text_and_a_delete_hides_it()
    {
        var (first, second, _) = await CreateStoresAsync();
        Assert.Equal(ReplyChange.NotTracked, await first.SaveAsync(Reply("Works"), Ct));
        await first.TrackAsync(Root(), Ct);

        Assert.Equal(ReplyChange.Added, await first.SaveAsync(Reply("Works"), Ct));
        // The catch-up's copy (other markup, never edited) and a redelivery change nothing.
        Assert.Equal(ReplyChange.Unchanged, await second.SaveAsync(Reply("<p>Works</p>", ReplySource.Graph), Ct));
        Assert.Equal(ReplyChange.Unchanged, await second.SaveAsync(Reply("Works"), Ct));
        Assert.Equal(ReplyChange.Edited, await second.SaveAsync(Reply("Works, after a restart", modifiedMinutes: 5), Ct));
        // An older copy arriving late does not undo the edit.
        Assert.Equal(ReplyChange.Unchanged, await first.SaveAsync(Reply("Works", ReplySource.Graph, modifiedMinutes: 1), Ct));

        var stored = await first.FindAsync("1700000000100", Ct);
        Assert.Equal(("Works, after a restart", 2, "w1", "it", "pre-1", Time.GetUtcNow().AddMinutes(5)),
            (stored!.Text, stored.Version, stored.WaveId, stored.DepartmentId, stored.MessageId, stored.ModifiedAt));
        Assert.Equal([(1, "Works", Time.GetUtcNow())], await second.HistoryAsync("1700000000100", Ct));
        Assert.Single(await second.ListAsync("w1", "it", cancellationToken: Ct));
        Assert.Empty(await second.ListAsync("w1", "hr", cancellationToken: Ct));

        Assert.True(await second.MarkDeletedAsync("1700000000100", Time.GetUtcNow().AddMinutes(9), Ct));
        Assert.Equal(ReplyChange.Unchanged, await first.SaveAsync(Reply("Works", deleted: Time.GetUtcNow().AddMinutes(10)), Ct));
        Assert.Empty(await first.ListAsync(cancellationToken: Ct));
        Assert.Equal(Time.GetUtcNow().AddMinutes(9), Assert.Single(await first.ListAsync(includeDeleted: true, cancellationToken: Ct)).DeletedAt);
        Assert.False(await first.MarkDeletedAsync("never-seen", Time.GetUtcNow(), Ct));
    }

    [Fact]
    public async Task The_live_reply_and_the_catch_up_on_two_instances_at_once_store_one_reply_and_one_edit()
    {
        var (first, second, _) = await CreateStoresAsync();
        await first.TrackAsync(Root(), Ct);
        var added = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? first : second)
            .SaveAsync(Reply("Works", i % 2 == 0 ? ReplySource.Live : ReplySource.Graph), Ct)));
        Assert.Single(added, c => c == ReplyChange.Added);
        Assert.All(added.Where(c => c != ReplyChange.Added), c => Assert.Equal(ReplyChange.Unchanged, c));

        var edited = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? first : second)
            .SaveAsync(Reply("Works now", modifiedMinutes: 3), Ct)));
        Assert.Single(edited, c => c == ReplyChange.Edited);
        Assert.Equal(2, (await first.FindAsync("1700000000100", Ct))!.Version);
        Assert.Single(await second.HistoryAsync("1700000000100", Ct));
    }

    [Fact]
    public async Task The_catch_up_schedule_follows_successes_and_failures_and_finds_the_team_group_from_conversations()
    {
        var (first, second, conversations) = await CreateStoresAsync();
        await first.TrackAsync(Root(), Ct);
        await first.TrackAsync(Root("1700000000002", team: "19:other@thread.tacv2", minutes: 1), Ct);
        Assert.Empty(await first.DueForPollAsync(Time.GetUtcNow().AddSeconds(-1), Ct));
        await conversations.UpsertAsync(new ConversationReference("msteams", "https://smba.trafficmanager.net/emea/", "19:team@thread.tacv2", "channel", "t", "28:b",
            null, null, "19:team@thread.tacv2", "group-9", "19:team@thread.tacv2", null), Ct);

        Time.Advance(TimeSpan.FromMinutes(2));
        var due = await second.DueForPollAsync(Time.GetUtcNow(), Ct);
        Assert.Equal([("1700000000001", "group-9", 0), ("1700000000002", null, 0)], due.Select(d => (d.Root.RootMessageId, d.Root.TeamAadGroupId, d.Attempts)));

        await second.RecordPollAsync("1700000000001", Time.GetUtcNow().AddMinutes(30), null, Ct);
        await first.RecordPollAsync("1700000000002", Time.GetUtcNow().AddMinutes(5), "429", Ct);
        Assert.Empty(await first.DueForPollAsync(Time.GetUtcNow(), Ct));
        var failed = Assert.Single(await first.DueForPollAsync(Time.GetUtcNow().AddMinutes(5), Ct));
        Assert.Equal(("1700000000002", 1), (failed.Root.RootMessageId, failed.Attempts));
        Assert.Equal(2, (await second.DueForPollAsync(Time.GetUtcNow().AddMinutes(30), Ct)).Count);
    }
}


/// <summary>The SharePoint copy queue of thread replies, on both stores.</summary>
public abstract class ThreadReplySyncContract : ThreadReplyStoreContract
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_change_of_a_reply_is_queued_once_for_the_list_and_a_reply_first_seen_deleted_never_is()
    {
        var (first, second, _) = await CreateStoresAsync();
        await first.TrackAsync(new ThreadRoot("1700000000001", "19:chan@thread.tacv2", "19:team@thread.tacv2", null, "w1", "it", "pre-1", Time.GetUtcNow()), Ct);
        IncomingReply Reply(string id, string text, int modified = 0, DateTimeOffset? deleted = null) =>
            new(id, "1700000000001", "aad-1", "Anna", text, Time.GetUtcNow(), Time.GetUtcNow().AddMinutes(modified), deleted, ReplySource.Live);

        await first.SaveAsync(Reply("1700000000100", "Works"), Ct);
        await second.SaveAsync(Reply("1700000000100", "Works"), Ct);
        await second.SaveAsync(Reply("1700000000200", "Gone", deleted: Time.GetUtcNow()), Ct);
        Assert.Null(await first.FindSyncAsync("1700000000200", Ct));
        var work = Assert.Single(await second.DueSyncAsync(10, Ct));
        Assert.Equal((IThreadReplyStore.CorrelationPrefix + "1700000000100", 1, false, "Works"), (work.CorrelationId, work.Generation, work.PostStarted, work.Reply.Text));
        Assert.Equal((0, 1, 0), await first.SyncCountsAsync(Ct));

        await first.MarkSyncPostStartedAsync("1700000000100", Ct);
        await first.MarkSyncedAsync("1700000000100", "item-1", 1, Ct);
        Assert.Empty(await second.DueSyncAsync(10, Ct));
        Assert.Equal(("item-1", true), (await second.SyncStatesAsync(Ct))["1700000000100"]);

        // An edit while the copy of the first text fails: the newer change waits for the running retry, then goes.
        await second.MarkSyncFailedAsync("1700000000100", "503", Time.GetUtcNow().AddMinutes(5), Ct);
        await first.SaveAsync(Reply("1700000000100", "Works now", modified: 1), Ct);
        Assert.Empty(await first.DueSyncAsync(10, Ct));
        Assert.Equal((0, 0, 1), await second.SyncCountsAsync(Ct));
        Time.Advance(TimeSpan.FromMinutes(5));
        var edit = Assert.Single(await first.DueSyncAsync(10, Ct));
        Assert.Equal((2, "item-1", 1, "Works now", "503"), (edit.Generation, edit.ItemId, edit.Attempts, edit.Reply.Text, edit.LastError));
        await first.MarkSyncedAsync("1700000000100", null, 2, Ct);

        // The delete is a third change; the list item id is kept.
        Assert.True(await second.MarkDeletedAsync("1700000000100", Time.GetUtcNow(), Ct));
        var delete = Assert.Single(await first.DueSyncAsync(10, Ct));
        Assert.Equal((3, "item-1", true), (delete.Generation, delete.ItemId, delete.Reply.DeletedAt is not null));
        await second.SetSyncItemIdAsync("1700000000100", null, Ct);
        Assert.Equal(((string?)null, false), ((await first.FindSyncAsync("1700000000100", Ct))!.ItemId, (await first.FindSyncAsync("1700000000100", Ct))!.PostStarted));
    }

    [Fact]
    public async Task A_deferred_root_is_not_counted_as_failed_and_the_start_up_catch_up_reads_roots_read_before()
    {
        var (first, second, _) = await CreateStoresAsync();
        await first.TrackAsync(new ThreadRoot("1700000000001", "19:chan@thread.tacv2", "19:team@thread.tacv2", null, "w1", "it", "pre-1", Time.GetUtcNow()), Ct);
        await first.TrackAsync(new ThreadRoot("1700000000002", "19:chan@thread.tacv2", "19:team@thread.tacv2", null, "w1", "it", "pre-1", Time.GetUtcNow()), Ct);
        await first.TrackAsync(new ThreadRoot("1700000000003", "19:chan@thread.tacv2", "19:team@thread.tacv2", null, "w1", "it", "pre-1", Time.GetUtcNow()), Ct);
        await second.RecordPollAsync("1700000000001", Time.GetUtcNow().AddHours(1), null, Ct);
        await second.RecordPollAsync("1700000000002", Time.GetUtcNow().AddHours(1), "429", Ct);
        await second.DeferPollAsync("1700000000003", Time.GetUtcNow().AddHours(1), "team group id not known yet", Ct);

        Assert.Empty(await first.DueForPollAsync(Time.GetUtcNow(), Ct));
        var atStart = await first.DueForPollAsync(Time.GetUtcNow(), Ct, startUp: true);
        Assert.Equal([("1700000000001", 0), ("1700000000003", 0)], atStart.Select(d => (d.Root.RootMessageId, d.Attempts)).OrderBy(d => d.Item1));
    }
}

public sealed class SqliteThreadReplyStoreTests : ThreadReplySyncContract
{
    protected override Task<(IThreadReplyStore First, IThreadReplyStore Second, IConversationStore Conversations)> CreateStoresAsync()
    {
        var database = StateStoreFixtures.NewSqlite();
        return Task.FromResult<(IThreadReplyStore, IThreadReplyStore, IConversationStore)>(
            (new SqliteThreadReplyStore(database, Time), new SqliteThreadReplyStore(database, Time), new SqliteConversationStore(database, Time)));
    }
}

public sealed class AzureTableThreadReplyStoreTests(AzuriteFixture azurite) : ThreadReplySyncContract, IClassFixture<AzuriteFixture>
{
    protected override async Task<(IThreadReplyStore First, IThreadReplyStore Second, IConversationStore Conversations)> CreateStoresAsync()
    {
        var (service, prefix) = await StateStoreFixtures.NewTablesAsync(azurite);
        return (new AzureTableThreadReplyStore(service, prefix, Time), new AzureTableThreadReplyStore(new TableServiceClient(azurite.ConnectionString), prefix, Time),
            new AzureTableConversationStore(service, prefix, Time));
    }
}
