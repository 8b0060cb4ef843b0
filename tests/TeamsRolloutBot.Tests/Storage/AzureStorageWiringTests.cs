using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Storage.Azure;
using TeamsRolloutBot.Tests.Infrastructure;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary><c>Storage:Provider=AzureStorage</c> in the real bot: the delivery state goes to Table Storage (Azurite), not the SQLite file.</summary>
public sealed class AzureStorageWiringTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private FakeOpenIdServer _openId = null!;
    private FakeConnector _connector = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _openId = await FakeOpenIdServer.StartNewAsync();
        _connector = await FakeConnector.StartNewAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _connector.DisposeAsync();
        await _openId.DisposeAsync();
    }

    [Fact]
    public async Task The_bot_keeps_its_outbox_and_conversations_in_tables_that_a_second_instance_sees()
    {
        var prefix = "w" + Guid.NewGuid().ToString("N")[..12];
        await using var factory = new BotFactory(_openId, _connector, new()
        {
            ["Storage:Provider"] = "AzureStorage",
            ["Storage:AzureConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = prefix,
            ["Delivery:Enabled"] = "false",
        });
        using var client = factory.CreateClient();
        var tables = new TableServiceClient(azurite.ConnectionString);
        var created = new List<string>();
        await foreach (var table in tables.QueryAsync($"TableName ge '{prefix}' and TableName lt '{prefix}~'", cancellationToken: Ct))
        {
            created.Add(table.Name);
        }
        Assert.Equal([prefix + "Cards", prefix + "Conversations", prefix + "Jobs", prefix + "Sends", prefix + "Settings"], created.Order());

        var store = factory.Services.GetRequiredService<IDeliveryStore>();
        Assert.IsType<AzureTableDeliveryStore>(store);
        var now = DateTimeOffset.UtcNow;
        await store.EnqueueAsync([new OutboxJob("it/pre-1/it/members|personal|u1", "it/pre-1/it/members", "it", "pre-1", "it", DeliveryKind.Personal, "u1", "nl", now)], Ct);
        await store.SaveConversationAsync(new ConversationReference("msteams", "https://smba.trafficmanager.net/emea/", "a:1", "personal", "t", "28:b", "29:1", "aad-1", null, null, null, "nl-NL"), Ct);

        // Another instance on the same account (a fresh client, no shared memory) finds the job and the conversation.
        var other = new AzureTableDeliveryStore(tables, prefix, TimeProvider.System);
        Assert.Equal("u1", Assert.Single(await other.LeaseAsync("instance-2", 10, now, TimeSpan.FromMinutes(1), Ct)).Job.Target);
        Assert.Equal("a:1", (await other.FindPersonalConversationAsync("AAD-1", Ct))!.Reference.ConversationId);
        // The instance's SQLite file keeps the conversation too (the bot's own commands and notifications read it there).
        Assert.NotNull(await factory.Services.GetRequiredService<ConversationStore>().FindPersonalAsync("aad-1", Ct));
    }

    [Fact]
    public async Task AzureStorage_without_an_account_stops_the_start_naming_the_keys()
    {
        using var bot = BotProcess.Start(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["MicrosoftAppType"] = "SingleTenant",
            ["MicrosoftAppId"] = BotFactory.AppId,
            ["MicrosoftAppPassword"] = "not-a-real-secret",
            ["MicrosoftAppTenantId"] = BotFactory.TenantId,
            ["Storage__SqlitePath"] = Path.Combine(Path.GetTempPath(), "trb-tests", Guid.NewGuid().ToString("N"), "rollout.db"),
            ["Storage__Provider"] = "AzureStorage",
        });
        Assert.True(await bot.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the bot started without a storage account");
        Assert.Equal(2, bot.ExitCode);
        Assert.Contains("Storage:TableServiceUri", bot.Output, StringComparison.Ordinal);
    }
}
