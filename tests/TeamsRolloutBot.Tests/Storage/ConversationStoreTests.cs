using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Storage.Azure;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>What every <see cref="IConversationStore"/> must do; run against SQLite and Azure Table Storage (Azurite).</summary>
public abstract class ConversationStoreContract
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2027, 7, 5, 7, 0, 0, TimeSpan.Zero));

    /// <summary>Two handles on one new, empty store (two instances of the bot sharing it), both on <see cref="Time"/>.</summary>
    protected abstract Task<(IConversationStore First, IConversationStore Second)> CreateStoresAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ConversationReference Personal(string id, string aad, string serviceUrl = "https://smba.trafficmanager.net/emea/", string? locale = "nl-NL") =>
        new("msteams", serviceUrl, id, "personal", "tenant", "28:bot", "29:" + aad, aad, null, null, null, locale);

    [Fact]
    public async Task A_reference_learned_on_one_instance_is_found_on_the_other_and_a_refresh_keeps_what_it_lacks()
    {
        var (first, second) = await CreateStoresAsync();
        await first.UpsertAsync(new ConversationReference("msteams", "https://smba.trafficmanager.net/emea/", "19:chan@thread.tacv2", "channel", "tenant", "28:bot",
            null, null, "19:team@thread.tacv2", "group-1", "19:chan@thread.tacv2", "nl-NL"), Ct);
        // A later activity in the channel carries a new serviceUrl but no team details.
        await second.UpsertAsync(new ConversationReference("msteams", "https://smba.trafficmanager.net/amer/", "19:chan@thread.tacv2", "channel", null, null,
            null, null, null, null, null, null), Ct);

        var stored = await first.FindAsync("19:chan@thread.tacv2", Ct);
        Assert.Equal(("https://smba.trafficmanager.net/amer/", "group-1", "19:team@thread.tacv2", "nl-NL", "tenant", true),
            (stored!.Reference.ServiceUrl, stored.Reference.TeamAadGroupId, stored.Reference.TeamId, stored.Reference.Locale, stored.Reference.TenantId, stored.Installed));
        Assert.Null(await second.FindAsync("19:unknown", Ct));
    }

    [Fact]
    public async Task The_personal_chat_of_a_user_is_the_installed_one_then_the_newest()
    {
        var (first, second) = await CreateStoresAsync();
        Assert.Null(await first.FindPersonalAsync("aad-1", Ct));
        await first.UpsertAsync(Personal("a:old", "aad-1"), Ct);
        Time.Advance(TimeSpan.FromMinutes(1));
        await second.UpsertAsync(Personal("a:new", "aad-1"), Ct);
        Assert.Equal("a:new", (await first.FindPersonalAsync("aad-1", Ct))!.Reference.ConversationId);

        Time.Advance(TimeSpan.FromMinutes(1));
        await second.MarkUninstalledAsync("a:new", Ct);
        var chat = await first.FindPersonalAsync("aad-1", Ct);
        Assert.Equal(("a:old", true), (chat!.Reference.ConversationId, chat.Installed));
    }

    [Fact]
    public async Task The_welcome_is_claimed_once_across_instances_and_again_after_a_reinstall()
    {
        var (first, second) = await CreateStoresAsync();
        Assert.False(await first.TryClaimWelcomeAsync("a:1", Ct));
        await first.UpsertAsync(Personal("a:1", "aad-1"), Ct);

        // installationUpdate and conversationUpdate arrive at two instances at once: one welcome.
        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? first : second).TryClaimWelcomeAsync("a:1", Ct)));
        Assert.Single(claims, c => c);
        Assert.Equal(Time.GetUtcNow(), (await second.FindAsync("a:1", Ct))!.WelcomedAt);
        // A refresh of the reference does not give the welcome back.
        await second.UpsertAsync(Personal("a:1", "aad-1"), Ct);
        Assert.False(await first.TryClaimWelcomeAsync("a:1", Ct));

        // Posting the welcome failed: released, the next install event welcomes.
        await first.ReleaseWelcomeAsync("a:1", Ct);
        Assert.True(await second.TryClaimWelcomeAsync("a:1", Ct));

        // Removed and installed again: a new welcome.
        await second.MarkUninstalledAsync("a:1", Ct);
        var removed = await first.FindAsync("a:1", Ct);
        Assert.Equal((false, (DateTimeOffset?)null), (removed!.Installed, removed.WelcomedAt));
        await first.UpsertAsync(Personal("a:1", "aad-1"), Ct);
        Assert.True((await second.FindAsync("a:1", Ct))!.Installed);
        Assert.True(await first.TryClaimWelcomeAsync("a:1", Ct));
    }
}

public sealed class SqliteConversationStoreTests : ConversationStoreContract
{
    protected override Task<(IConversationStore First, IConversationStore Second)> CreateStoresAsync()
    {
        var database = StateStoreFixtures.NewSqlite();
        return Task.FromResult<(IConversationStore, IConversationStore)>((new SqliteConversationStore(database, Time), new SqliteConversationStore(database, Time)));
    }
}

public sealed class AzureTableConversationStoreTests(AzuriteFixture azurite) : ConversationStoreContract, IClassFixture<AzuriteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected override async Task<(IConversationStore First, IConversationStore Second)> CreateStoresAsync()
    {
        var (service, prefix) = await StateStoreFixtures.NewTablesAsync(azurite);
        return (new AzureTableConversationStore(service, prefix, Time), new AzureTableConversationStore(new TableServiceClient(azurite.ConnectionString), prefix, Time));
    }

    [Fact]
    public async Task Personal_chats_stored_before_the_user_index_existed_are_found_and_the_lookup_reads_no_other_users_chat()
    {
        var (service, prefix) = await StateStoreFixtures.NewTablesAsync(azurite);
        var table = service.GetTableClient(prefix + "Conversations");
        // As the previous version wrote them: conversation entities only, no index rows.
        for (var i = 0; i < 30; i++)
        {
            await table.AddEntityAsync(new TableEntity(AzureTableConversationStore.Partition, AzureTables.Encode($"a:{i}"))
            {
                ["ConversationId"] = $"a:{i}", ["ConversationType"] = "personal", ["ServiceUrl"] = "https://smba.trafficmanager.net/emea/",
                ["UserAadObjectId"] = $"AAD-{i}", ["AadLower"] = $"aad-{i}", ["Installed"] = true, ["UpdatedAt"] = 1L,
            }, Ct);
        }
        var store = new AzureTableConversationStore(new TableServiceClient(azurite.ConnectionString), prefix, Time);

        Assert.Equal("a:7", (await store.FindPersonalAsync("AAD-7", Ct))!.Reference.ConversationId);
        Assert.Null(await store.FindPersonalAsync("aad-99", Ct));
        // Each user's chat has its own index partition: a lookup is a partition read, not a scan of the conversations.
        var index = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == "user-" + AzureTables.Encode("aad-7"), cancellationToken: Ct))
        {
            index.Add(row);
        }
        Assert.Equal(AzureTables.Encode("a:7"), Assert.Single(index).RowKey);
        // A new chat is indexed when it is saved.
        await store.UpsertAsync(new ConversationReference("msteams", "https://smba.trafficmanager.net/emea/", "a:new", "personal", "t", "28:b", "29:x", "AAD-NEW", null, null, null, "en-US"), Ct);
        Assert.Equal("a:new", (await new AzureTableConversationStore(service, prefix, Time).FindPersonalAsync("aad-new", Ct))!.Reference.ConversationId);
    }

    [Fact]
    public async Task A_reference_the_bot_learns_from_Teams_is_what_the_delivery_store_of_another_instance_sends_to()
    {
        var (service, prefix) = await StateStoreFixtures.NewTablesAsync(azurite);
        var learned = new AzureTableConversationStore(service, prefix, Time);
        await learned.UpsertAsync(new ConversationReference("msteams", "https://smba.trafficmanager.net/emea/", "a:1", "personal", "t", "28:b", "29:1", "AAD-1", null, null, null, "nl-NL"), Ct);

        var delivery = new AzureTableDeliveryStore(new TableServiceClient(azurite.ConnectionString), prefix, Time);
        Assert.Equal("a:1", (await delivery.FindPersonalConversationAsync("aad-1", Ct))!.Reference.ConversationId);
        Assert.Equal("https://smba.trafficmanager.net/emea/", await delivery.LatestServiceUrlAsync(Ct));
        // The delivery store finds the chat gone (403): the bot sees it uninstalled too.
        await delivery.MarkConversationGoneAsync("a:1", Ct);
        Assert.False((await learned.FindAsync("a:1", Ct))!.Installed);
    }
}
