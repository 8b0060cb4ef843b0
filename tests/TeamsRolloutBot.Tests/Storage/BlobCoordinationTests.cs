using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging.Abstractions;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Storage.Azure;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>The scheduler leader and the wave locks as blob leases on Azurite, between two instances.</summary>
public sealed class BlobCoordinationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<BlobContainerClient> LocksAsync()
    {
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("l" + Guid.NewGuid().ToString("N")[..12] + "-locks");
        await container.CreateIfNotExistsAsync(cancellationToken: Ct);
        return container;
    }

    private static BlobLeaseLeadership Leadership(BlobContainerClient locks) =>
        new(locks, Lease, TimeProvider.System, NullLogger<BlobLeaseLeadership>.Instance);

    [Fact]
    public async Task Of_two_instances_one_leads_and_the_other_takes_over_when_it_stops()
    {
        var locks = await LocksAsync();
        var first = Leadership(locks);
        var second = Leadership(locks);
        await first.StartAsync(Ct);
        await first.WaitForLeadershipAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await second.StartAsync(Ct);
        await Task.Delay(500, Ct);
        Assert.True(first.IsLeader);
        Assert.False(second.IsLeader);

        // A clean stop releases the lease; the other instance leads at its next attempt (a third of the lease later).
        await first.StopAsync(Ct);
        Assert.False(first.IsLeader);
        await second.WaitForLeadershipAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.True(second.IsLeader);
        await second.StopAsync(Ct);
    }

    [Fact]
    public async Task A_leader_whose_lease_was_taken_stops_leading()
    {
        var locks = await LocksAsync();
        var leader = Leadership(locks);
        await leader.StartAsync(Ct);
        await leader.WaitForLeadershipAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        // An operator (or an expired lease taken by another instance): the lease is broken and re-acquired elsewhere.
        var blob = locks.GetBlobClient("leader");
        await blob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: Ct);
        await blob.GetBlobLeaseClient().AcquireAsync(Lease, cancellationToken: Ct);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (leader.IsLeader && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, Ct);
        }
        Assert.False(leader.IsLeader);
        await leader.StopAsync(Ct);
    }

    [Fact]
    public async Task A_wave_lock_is_held_by_one_instance_at_a_time()
    {
        var locks = await LocksAsync();
        var first = new BlobWaveLocks(locks, Lease, TimeProvider.System);
        var second = new BlobWaveLocks(locks, Lease, TimeProvider.System);
        var held = await first.AcquireAsync("wave 1/it", Ct);
        var waiting = second.AcquireAsync("wave 1/it", Ct);
        // Another wave is not blocked.
        await (await second.AcquireAsync("wave-2", Ct)).DisposeAsync();
        await Task.Delay(1000, Ct);
        Assert.False(waiting.IsCompleted);

        await held.DisposeAsync();
        var next = await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await next.DisposeAsync();
    }

    [Fact]
    public async Task A_local_wave_lock_is_exclusive_per_wave()
    {
        var locks = new LocalWaveLocks();
        var held = await locks.AcquireAsync("w1", Ct);
        var waiting = locks.AcquireAsync("w1", Ct);
        await (await locks.AcquireAsync("w2", Ct)).DisposeAsync();
        Assert.False(waiting.IsCompleted);
        await held.DisposeAsync();
        await (await waiting.WaitAsync(TimeSpan.FromSeconds(5), Ct)).DisposeAsync();
    }
}
