using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Storage.Azure;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>What every <see cref="ISentCardStore"/> must do; run against SQLite and Azure Table Storage (Azurite).</summary>
public abstract class SentCardStoreContract
{
    private static readonly DateTimeOffset Sent = new(2027, 7, 5, 7, 30, 0, TimeSpan.Zero);

    /// <summary>Two handles on one new, empty store (two instances of the bot sharing it).</summary>
    protected abstract Task<(ISentCardStore First, ISentCardStore Second)> CreateStoresAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SentCard Card(string job, string message, DeliveryKind kind = DeliveryKind.Personal, string? language = "nl", int minute = 0) =>
        new(job, $"pilot/{message}/small/members", "pilot", message, "small", kind, "user-" + job, language, "https://smba.example/teams/",
            kind == DeliveryKind.Channel ? "19:small@thread.tacv2;messageid=" + job : "a:user-" + job, "act-" + job, "fp-" + job, Sent.AddMinutes(minute));

    [Fact]
    public async Task A_sent_card_is_read_back_by_message_with_where_it_is_and_its_fingerprint()
    {
        var (first, second) = await CreateStoresAsync();
        Assert.Empty(await first.GetSentAsync(null, Ct));
        await first.RecordSentAsync(Card("j2", "prepare", minute: 1), Ct);
        await first.RecordSentAsync(Card("j1", "prepare", DeliveryKind.Channel, null), Ct);
        await first.RecordSentAsync(Card("j3", "enroll"), Ct);

        var prepare = await second.GetSentAsync("PREPARE", Ct);
        Assert.Equal(["j1", "j2"], prepare.Select(c => c.JobKey));
        Assert.Equal(Card("j1", "prepare", DeliveryKind.Channel, null), prepare[0]);
        Assert.Equal(3, (await second.GetSentAsync(null, Ct)).Count);
        Assert.True(prepare[1].IsLive);
    }

    [Fact]
    public async Task A_correction_is_recorded_and_an_update_replaces_the_fingerprint()
    {
        var (first, second) = await CreateStoresAsync();
        var card = Card("j1", "prepare");
        await first.RecordSentAsync(card, Ct);
        await first.RecordSentAsync(Card("j2", "prepare"), Ct);

        await second.RecordCorrectionAsync(card, CorrectionOutcome.Updated, "fp-new", null, Sent.AddHours(1), Ct);
        await second.RecordCorrectionAsync(Card("j2", "prepare"), CorrectionOutcome.Gone, null, "404", Sent.AddHours(2), Ct);

        var cards = await first.GetSentAsync("prepare", Ct);
        Assert.Equal((CorrectionOutcome.Updated, "fp-new", (DateTimeOffset?)Sent.AddHours(1)), (cards[0].State, cards[0].Fingerprint, cards[0].CorrectedUtc));
        Assert.Equal((CorrectionOutcome.Gone, "fp-j2", "404"), (cards[1].State, cards[1].Fingerprint, cards[1].Detail));
        Assert.True(cards[0].IsLive);
        Assert.False(cards[1].IsLive);

        // The same job sent again (a redelivery after a crash) is one card, as sent the last time.
        await first.RecordSentAsync(card with { ActivityId = "act-again", Fingerprint = "fp-again" }, Ct);
        var again = Assert.Single(await second.GetSentAsync("prepare", Ct), c => c.JobKey == "j1");
        Assert.Equal(("act-again", "fp-again", CorrectionOutcome.Sent), (again.ActivityId, again.Fingerprint, again.State));
    }

    [Fact]
    public async Task A_notice_is_stored_once_and_its_first_decision_stays()
    {
        var (first, second) = await CreateStoresAsync();
        Assert.Null(await first.FindNoticeAsync("prepare:abc", Ct));
        Assert.True(await first.TryAddNoticeAsync("prepare:abc", "prepare", Sent, Ct));
        Assert.False(await second.TryAddNoticeAsync("prepare:abc", "prepare", Sent.AddMinutes(1), Ct));
        Assert.Empty(await first.GetSentAsync(null, Ct));

        Assert.True(await second.DecideNoticeAsync("prepare:abc", "leave", "Lotte Lead", Sent.AddMinutes(5), Ct));
        Assert.False(await first.DecideNoticeAsync("prepare:abc", "update", "Sam Second", Sent.AddMinutes(6), Ct));
        Assert.False(await first.DecideNoticeAsync("unknown", "update", "Sam Second", Sent.AddMinutes(6), Ct));

        var notice = await first.FindNoticeAsync("prepare:abc", Ct);
        Assert.Equal(new CorrectionNotice("prepare:abc", "prepare", Sent, "leave", "Lotte Lead", Sent.AddMinutes(5)), notice);
    }
}

public sealed class SqliteSentCardStoreTests : SentCardStoreContract
{
    protected override Task<(ISentCardStore First, ISentCardStore Second)> CreateStoresAsync()
    {
        var database = StateStoreFixtures.NewSqlite();
        return Task.FromResult<(ISentCardStore, ISentCardStore)>((new SqliteSentCardStore(database), new SqliteSentCardStore(database)));
    }
}

public sealed class AzureTableSentCardStoreTests(AzuriteFixture azurite) : SentCardStoreContract, IClassFixture<AzuriteFixture>
{
    protected override async Task<(ISentCardStore First, ISentCardStore Second)> CreateStoresAsync()
    {
        var (service, prefix) = await StateStoreFixtures.NewTablesAsync(azurite);
        return (new AzureTableSentCardStore(service, prefix), new AzureTableSentCardStore(new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString), prefix));
    }
}
