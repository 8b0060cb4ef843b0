using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Storage.Azure;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>What every <see cref="IAuditLog"/> must do; run against SQLite and Azure Table Storage (Azurite).</summary>
public abstract class AuditLogContract
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2027, 7, 5, 7, 0, 0, TimeSpan.Zero));

    /// <summary>Two handles on one new, empty log (two instances of the bot sharing it), both on <see cref="Time"/>.</summary>
    protected abstract Task<(IAuditLog First, IAuditLog Second)> CreateLogsAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_newest_entries_come_first_with_everything_that_was_written()
    {
        var (first, second) = await CreateLogsAsync();
        await first.WriteAsync("aad-1", "Anna", "personal", "pause it", AuditResults.Done, null, Ct);
        Time.Advance(TimeSpan.FromSeconds(5));
        await second.WriteAsync("aad-2", "Bob", "channel", "cancel hr", AuditResults.Refused, "not a lead of hr", Ct);
        // Same clock tick on one instance: still newest first.
        await first.WriteAsync("aad-1", "Anna", "personal", "resume it", AuditResults.Done, null, Ct);

        var latest = await second.LatestAsync(2, Ct);
        Assert.Equal(["resume it", "cancel hr"], latest.Select(e => e.Command));
        Assert.Equal(new AuditEntry(Time.GetUtcNow(), "aad-2", "Bob", "channel", "cancel hr", AuditResults.Refused, "not a lead of hr"), latest[1]);
        Assert.Equal(3, (await first.LatestAsync(50, Ct)).Count);
        Assert.Empty(await first.LatestAsync(0, Ct));
    }

    [Fact]
    public async Task Entries_two_instances_write_at_the_same_moment_are_all_kept()
    {
        var (first, second) = await CreateLogsAsync();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? first : second)
            .WriteAsync($"aad-{i}", null, "personal", $"status {i}", AuditResults.Done, null, Ct)));
        var all = await first.LatestAsync(100, Ct);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"status {i}").Order(), all.Select(e => e.Command).Order());
    }
}

public sealed class SqliteAuditLogTests : AuditLogContract
{
    protected override Task<(IAuditLog First, IAuditLog Second)> CreateLogsAsync()
    {
        var database = StateStoreFixtures.NewSqlite();
        return Task.FromResult<(IAuditLog, IAuditLog)>((new SqliteAuditLog(database, Time), new SqliteAuditLog(database, Time)));
    }
}

public sealed class AzureTableAuditLogTests(AzuriteFixture azurite) : AuditLogContract, IClassFixture<AzuriteFixture>
{
    protected override async Task<(IAuditLog First, IAuditLog Second)> CreateLogsAsync()
    {
        var (service, prefix) = await StateStoreFixtures.NewTablesAsync(azurite);
        return (new AzureTableAuditLog(service, prefix, Time), new AzureTableAuditLog(new TableServiceClient(azurite.ConnectionString), prefix, Time));
    }
}
