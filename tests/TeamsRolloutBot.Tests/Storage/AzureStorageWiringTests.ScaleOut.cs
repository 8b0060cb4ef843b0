using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Storage.Azure;
using TeamsRolloutBot.Tests.Infrastructure;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>The AzureStorage provider's queue, locks and leader in the real bot, and how their endpoints are configured.</summary>
public sealed partial class AzureStorageWiringTests
{
    [Fact]
    public async Task The_bot_creates_its_outbox_queue_and_locks_container_and_leads_alone()
    {
        var prefix = "W" + Guid.NewGuid().ToString("N")[..12];
        await using var bot = await Instance(prefix, leaseDuration: "00:00:15");

        Assert.True((await new QueueServiceClient(azurite.ConnectionString).GetQueueClient(prefix.ToLowerInvariant() + "outbox").ExistsAsync(Ct)).Value);
        Assert.True((await new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(prefix.ToLowerInvariant() + "-locks").ExistsAsync(Ct)).Value);
        Assert.True(bot.Services.GetRequiredService<AzureTableDeliveryStore>().UsesQueue);
        var leadership = bot.Services.GetRequiredService<ILeadership>();
        Assert.IsType<BlobLeaseLeadership>(leadership);
        await leadership.WaitForLeadershipAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.IsType<BlobWaveLocks>(bot.Services.GetRequiredService<IWaveLocks>());
    }

    [Theory]
    [InlineData("https://acct.table.core.windows.net/", null, "queue", "https://acct.queue.core.windows.net/")]
    [InlineData("https://acct.table.core.windows.net/", null, "blob", "https://acct.blob.core.windows.net/")]
    [InlineData("https://acct.table.core.windows.net/", "https://other.queue.core.windows.net/", "queue", "https://other.queue.core.windows.net/")]
    [InlineData("https://tables.contoso.example/", null, "queue", null)]
    [InlineData("https://acct.table.core.windows.net/", "not a url", "queue", null)]
    [InlineData("https://acct.table.core.windows.net/", "http://acct.queue.core.windows.net/", "queue", null)]
    public void Queue_and_blob_endpoints_come_from_their_keys_or_from_the_table_endpoint(string table, string? configured, string service, string? expected)
    {
        var options = new AzureStorageOptions { TableServiceUri = table, QueueServiceUri = service == "queue" ? configured : null, BlobServiceUri = service == "blob" ? configured : null };
        Assert.Equal(expected, AzureStorageServiceCollectionExtensions.ServiceUri(options, service)?.ToString());
    }

    [Fact]
    public async Task A_lease_duration_outside_what_blob_leases_allow_stops_the_start_naming_the_key()
    {
        var (exitCode, output) = await BotProcess.StartExpectingRefusalAsync(new Dictionary<string, string?>
        {
            ["Storage__Provider"] = "AzureStorage",
            ["Storage__AzureConnectionString"] = azurite.ConnectionString,
            ["Storage__BlobLeaseDuration"] = "00:05:00",
        });
        Assert.Equal(2, exitCode);
        Assert.Contains("Storage:BlobLeaseDuration", output, StringComparison.Ordinal);
    }
}
