using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Storage.Azure;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>What every <see cref="IFeedbackStore"/> must do; run against SQLite and Azure Table Storage (Azurite).</summary>
public abstract class FeedbackStoreContract
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2027, 7, 5, 7, 0, 0, TimeSpan.Zero));

    /// <summary>Two handles on one new, empty store (two instances of the bot sharing it), both on <see cref="Time"/>.</summary>
    protected abstract Task<(IFeedbackStore First, IFeedbackStore Second)> CreateStoresAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly SurveyPlacement It = new("post-1", "w1", "it", "post-1");
    private static readonly SurveyPlacement Hr = new("post-1", "w1", "hr", "post-1");

    private static SurveyRespondent User(int i, string? userId = "29:") => new($"aad-{i}", userId is null ? null : userId + i, $"User {i}", "nl-NL");

    private static SurveyAnswer Answer(int rating, string? comment = null) => new(rating, "yes", "windows", "under15", ["apps"], comment, true);

    [Fact]
    public async Task An_answer_is_versioned_once_per_change_with_its_history_and_a_repeat_changes_nothing()
    {
        var (first, second) = await CreateStoresAsync();
        Assert.Equal(new SaveResult(true, 1), await first.SaveAsync(It, User(1), Answer(3), Ct));
        var firstAt = Time.GetUtcNow();
        Time.Advance(TimeSpan.FromMinutes(5));
        // The same answers again (a second click, a redelivery on the other instance): nothing new.
        Assert.Equal(new SaveResult(false, 1), await second.SaveAsync(It, User(1), Answer(3), Ct));
        // A changed answer without a name keeps the stored name.
        Assert.Equal(new SaveResult(true, 2), await second.SaveAsync(It, new SurveyRespondent("aad-1", null, null, null), Answer(5, "Fine now"), Ct));

        var stored = await first.FindAsync("post-1", "aad-1", Ct);
        Assert.Equal((2, "User 1", "29:1", firstAt, Time.GetUtcNow(), 5, "Fine now"),
            (stored!.Version, stored.Respondent.Name, stored.Respondent.UserId, stored.FirstSubmittedAt, stored.UpdatedAt, stored.Answer.Rating, stored.Answer.Comment));
        Assert.Equal([(1, 3, firstAt), (2, 5, Time.GetUtcNow())], (await second.HistoryAsync("post-1", "aad-1", Ct)).Select(v => (v.Version, v.Answer.Rating, v.SubmittedAt)));
        Assert.Null(await first.FindAsync("post-1", "aad-2", Ct));
        Assert.Empty(await first.HistoryAsync("post-1", "aad-2", Ct));
    }

    [Fact]
    public async Task Two_instances_saving_different_answers_of_one_user_at_once_give_consecutive_versions()
    {
        var (first, second) = await CreateStoresAsync();
        var results = await Task.WhenAll(Enumerable.Range(1, 6).Select(i => (i % 2 == 0 ? first : second).SaveAsync(It, User(1), Answer(i % 5 + 1, $"try {i}"), Ct)));
        Assert.Equal([1, 2, 3, 4, 5, 6], results.Select(r => r.Version).Order());
        var history = await first.HistoryAsync("post-1", "aad-1", Ct);
        Assert.Equal([1, 2, 3, 4, 5, 6], history.Select(v => v.Version));
        var current = await second.FindAsync("post-1", "aad-1", Ct);
        Assert.Equal((6, history[^1].Answer.Comment), (current!.Version, current.Answer.Comment));
    }

    [Fact]
    public async Task Answers_are_listed_by_wave_and_department_newest_first_with_recent_respondents()
    {
        var (first, second) = await CreateStoresAsync();
        await first.SaveAsync(It, User(1), Answer(4), Ct);
        Time.Advance(TimeSpan.FromMinutes(1));
        await second.SaveAsync(Hr, User(2), Answer(2), Ct);
        Time.Advance(TimeSpan.FromMinutes(1));
        await first.SaveAsync(It, User(3, userId: null), Answer(5), Ct);

        Assert.Equal(["aad-3", "aad-2", "aad-1"], (await second.ListAsync(null, null, Ct)).Select(a => a.Respondent.AadObjectId));
        Assert.Equal(["aad-3", "aad-1"], (await second.ListAsync("w1", "it", Ct)).Select(a => a.Respondent.AadObjectId));
        Assert.Empty(await second.ListAsync("w2", null, Ct));
        Assert.Equal(["29:1"], await first.RecentRespondentIdsAsync("post-1", "it", 10, Ct));
        Assert.Equal(["29:2"], await first.RecentRespondentIdsAsync("post-1", null, 1, Ct));
    }

    [Fact]
    public async Task The_SharePoint_queue_hands_out_due_answers_and_tracks_versions_failures_and_counts()
    {
        var (first, second) = await CreateStoresAsync();
        await first.SaveAsync(It, User(1), Answer(4), Ct);
        await first.SaveAsync(It, User(2), Answer(3), Ct);
        var due = await second.DueSyncAsync(10, Ct);
        Assert.Equal(2, due.Count);
        Assert.All(due, w => Assert.False(w.PostStarted));
        var work = due.Single(w => w.Stored.Respondent.AadObjectId == "aad-1");
        Assert.Equal(new SyncCounts(0, 2, 0), await first.SyncCountsAsync(Ct));

        await second.MarkPostStartedAsync("post-1", "aad-1", Ct);
        await second.MarkSyncedAsync("post-1", "aad-1", "item-7", 1, Ct);
        await first.MarkSyncFailedAsync("post-1", "aad-2", new string('x', 600), Time.GetUtcNow().AddMinutes(2), Ct);
        Assert.Empty(await first.DueSyncAsync(10, Ct));
        Assert.Equal(new SyncCounts(1, 0, 1), await second.SyncCountsAsync(Ct));
        var failed = await first.FindAsync("post-1", "aad-2", Ct);
        Assert.Equal((1, 500), (failed!.SyncAttempts, failed.SyncError!.Length));

        // A new version queues the synced answer again, with its correlation id kept; the failed one waits for its retry.
        Time.Advance(TimeSpan.FromMinutes(1));
        await second.SaveAsync(It, User(1), Answer(1), Ct);
        var again = Assert.Single(await first.DueSyncAsync(10, Ct));
        Assert.Equal((work.CorrelationId, "item-7", 2, 1), (again.CorrelationId, again.Stored.ListItemId, again.Stored.Version, again.Stored.SyncedVersion));
        Assert.True(again.PostStarted);
        // Work handed out and not finished (the instance died) comes back, at the latest after a shared store's hold on it.
        Time.Advance(TimeSpan.FromMinutes(3));
        Assert.Single(await first.DueSyncAsync(1, Ct));
        Time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(2, (await first.DueSyncAsync(10, Ct)).Count);

        // A lost item (deleted in SharePoint): the id is cleared and the next attempt posts again.
        await first.SetItemIdAsync("post-1", "aad-1", null, Ct);
        Time.Advance(TimeSpan.FromMinutes(3));
        var reset = (await second.DueSyncAsync(10, Ct)).Single(w => w.Stored.Respondent.AadObjectId == "aad-1");
        Assert.Equal((null, false), (reset.Stored.ListItemId, reset.PostStarted));
    }

    [Fact]
    public async Task A_card_message_refresh_stays_pending_when_a_newer_answer_touched_it_meanwhile()
    {
        var (first, second) = await CreateStoresAsync();
        var card = new SurveyCardMessage("19:chan@thread.tacv2", "act-1", "https://smba.trafficmanager.net/emea/", "channel", It, "nl", null);
        await first.TouchCardMessageAsync(card, Ct);
        var due = Assert.Single(await second.DueCardMessagesAsync(10, Ct));
        Assert.Equal((card.ConversationId, card.ActivityId, It, "nl"), (due.ConversationId, due.ActivityId, due.Placement, due.Language));

        // Another answer arrives while the update runs: the update ends, the message stays due.
        await second.TouchCardMessageAsync(card, Ct);
        await first.CompleteCardMessageAsync(due, null, null, Time.GetUtcNow(), Ct);
        var next = Assert.Single(await first.DueCardMessagesAsync(10, Ct));
        Assert.NotEqual(due.Generation, next.Generation);

        // Done: quiet until the given time, then nothing due until touched again.
        await first.CompleteCardMessageAsync(next, null, null, Time.GetUtcNow().AddSeconds(30), Ct);
        Assert.Empty(await second.DueCardMessagesAsync(10, Ct));
        await second.TouchCardMessageAsync(card, Ct);
        Assert.Empty(await second.DueCardMessagesAsync(10, Ct));
        Time.Advance(TimeSpan.FromSeconds(31));
        var touched = Assert.Single(await second.DueCardMessagesAsync(10, Ct));

        // A failure retries at the given time; a failure without retry gives up.
        await first.CompleteCardMessageAsync(touched, "429", Time.GetUtcNow().AddMinutes(1), Time.GetUtcNow(), Ct);
        Assert.Empty(await first.DueCardMessagesAsync(10, Ct));
        Time.Advance(TimeSpan.FromMinutes(1));
        var retried = Assert.Single(await first.DueCardMessagesAsync(10, Ct));
        await first.CompleteCardMessageAsync(retried, "403", null, Time.GetUtcNow(), Ct);
        Time.Advance(TimeSpan.FromHours(1));
        Assert.Empty(await second.DueCardMessagesAsync(10, Ct));
    }

    [Fact]
    public async Task A_notice_is_claimed_by_one_instance_once_and_can_be_given_back()
    {
        var (first, second) = await CreateStoresAsync();
        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? first : second).TryClaimNoticeAsync("reminder", "post-1", "aad-1", Ct)));
        Assert.Single(claims, c => c);
        Assert.True(await first.TryClaimNoticeAsync("reminder", "post-1", "aad-2", Ct));
        Time.Advance(TimeSpan.FromMinutes(1));
        await second.CompleteNoticeAsync("reminder", "post-1", "aad-1", "sent", "a:1", Ct);
        Assert.True(await first.TryClaimNoticeAsync("summary", "w1", "lead-1", Ct));

        var notices = await first.NoticesAsync("reminder", "post-1", Ct);
        Assert.Equal([("aad-1", "sent", "a:1", Time.GetUtcNow()), ("aad-2", "sending", null, Time.GetUtcNow().AddMinutes(-1))],
            notices.Select(n => (n.Target, n.State, n.Detail, n.UpdatedAt)));
        Assert.Empty(await first.NoticesAsync("reminder", "post-2", Ct));
        Assert.Equal(["lead-1"], (await second.NoticesAsync("summary", null, Ct)).Select(n => n.Target));

        await second.ReleaseNoticeAsync("reminder", "post-1", "aad-2", Ct);
        await second.ReleaseNoticeAsync("reminder", "post-1", "never-claimed", Ct);
        Assert.True(await first.TryClaimNoticeAsync("reminder", "post-1", "aad-2", Ct));
        Assert.False(await second.TryClaimNoticeAsync("reminder", "post-1", "aad-1", Ct));
    }
}

public sealed class SqliteFeedbackStoreTests : FeedbackStoreContract
{
    protected override Task<(IFeedbackStore First, IFeedbackStore Second)> CreateStoresAsync()
    {
        var database = StateStoreFixtures.NewSqlite();
        return Task.FromResult<(IFeedbackStore, IFeedbackStore)>((new SqliteFeedbackStore(database, Time), new SqliteFeedbackStore(database, Time)));
    }
}

public sealed class AzureTableFeedbackStoreTests(AzuriteFixture azurite) : FeedbackStoreContract, IClassFixture<AzuriteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_instances_copying_at_once_never_take_the_same_answer()
    {
        var (first, second) = await CreateStoresAsync();
        for (var i = 0; i < 20; i++)
        {
            await first.SaveAsync(new SurveyPlacement("post-1", "w1", "it", "post-1"), new SurveyRespondent($"aad-{i}", null, null, null),
                new SurveyAnswer(4, "yes", "windows", null, [], null, true), Ct);
        }
        var taken = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => (i % 2 == 0 ? first : second).DueSyncAsync(8, Ct)));
        var users = taken.SelectMany(t => t.Select(w => w.Stored.Respondent.AadObjectId)).ToList();
        Assert.Equal(users.Count, users.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(20, users.Count);
        // Finished work is not handed out again; unfinished work (a crashed instance) is, after the hold.
        foreach (var work in taken[0])
        {
            await first.MarkSyncedAsync("post-1", work.Stored.Respondent.AadObjectId, "item", 1, Ct);
        }
        Assert.Empty(await second.DueSyncAsync(50, Ct));
        Time.Advance(AzureTables.WorkLease);
        Assert.Equal(20 - taken[0].Count, (await second.DueSyncAsync(50, Ct)).Count);
    }

    protected override async Task<(IFeedbackStore First, IFeedbackStore Second)> CreateStoresAsync()
    {
        var (service, prefix) = await StateStoreFixtures.NewTablesAsync(azurite);
        return (new AzureTableFeedbackStore(service, prefix, Time), new AzureTableFeedbackStore(new TableServiceClient(azurite.ConnectionString), prefix, Time));
    }
}
