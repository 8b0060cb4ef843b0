using System.Net;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Storage.Azure;
using TeamsRolloutBot.Tests.Infrastructure;
using static TeamsRolloutBot.Tests.Storage.PublishedPlanRestartTests;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>
/// Several instances on one storage account (Azurite): the valid plan is published as a versioned blob and every
/// instance runs the newest version; an instance with an older file does not overwrite it and tells the leads.
/// </summary>
public sealed class PublishedPlanScaleOutTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string LeadId = "3f9c1a52-7d0e-4b8e-9a51-2c6f0e1d4b77";
    private const string Name = "rollout: Intune device enrollment 2027";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_instance_with_an_older_file_runs_the_published_version_and_an_edit_on_one_instance_reaches_the_other()
    {
        var a = (await File.ReadAllTextAsync(RepoPaths.SamplePlan, Ct)).Replace("00000000-0000-0000-0000-0000000000aa", LeadId, StringComparison.Ordinal);
        var b = a.Replace(Name, Name + " (B)", StringComparison.Ordinal);
        var c = a.Replace(Name, Name + " (C)", StringComparison.Ordinal);
        var prefix = "v" + Guid.NewGuid().ToString("N")[..12];
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var one = await TestBot.Create().WithAzurite(azurite.ConnectionString, prefix).WithPlan(a).WithManualDelivery().WithClock(clock).StartAsync();
        var onePlans = one.Services.GetRequiredService<PlanProvider>();
        Assert.Equal((1, PlanSource.File), (onePlans.Running!.Version, onePlans.Running.Source));
        var hello = TestActivities.PersonalMessage(one.ServiceUrl, "hi");
        hello["from"]!["aadObjectId"] = LeadId;
        await one.PostAsync(hello);

        // An edit on instance one is published as version 2: a blob in <prefix>-plans, with the pointer moved.
        await File.WriteAllTextAsync(one.PlanPath!, b, Ct);
        await onePlans.ReloadAsync(Ct);
        Assert.Equal((2, PlanVersionRecorder.HashOf(b), PlanSource.File), (onePlans.Running!.Version, onePlans.Running.Hash, onePlans.Running.Source));
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(prefix + "-plans");
        Assert.Equal(b, (await container.GetBlobClient(AzureTablePlanVersionStore.NameOf(2)).DownloadContentAsync(Ct)).Value.Content.ToString());
        Assert.Contains("\"version\":2", (await container.GetBlobClient("latest.json").DownloadContentAsync(Ct)).Value.Content.ToString(), StringComparison.Ordinal);

        // A second instance deployed with the older file a: it runs version 2, does not publish, and says so.
        await using var two = await one.StartSecondInstanceAsync(builder => builder.WithPlan(a));
        var twoPlans = two.Services.GetRequiredService<PlanProvider>();
        Assert.Equal((Name[9..] + " (B)", 2, PlanSource.Published), (twoPlans.Current!.Name, twoPlans.Running!.Version, twoPlans.Running.Source));
        var store = two.Services.GetRequiredService<IPlanVersionStore>();
        Assert.Equal((2, PlanVersionRecorder.HashOf(b)), ((await store.LatestPublishedAsync(Ct))!.Version, (await store.LatestPublishedAsync(Ct))!.Hash));
        var notice = await WaitForTextAsync(one.Teams, "differs from the running version 2");
        Assert.Contains("older version 1", notice, StringComparison.Ordinal);
        Assert.Contains("redeploy it to every instance", notice, StringComparison.Ordinal);
        var ready = await ReadyAsync(two);
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal((2, PlanVersionRecorder.HashOf(b), "published"), PlanOf(ready.Body));

        // An edit on instance two is published as version 3; instance one runs it at its next poll.
        await File.WriteAllTextAsync(two.PlanPath!, c, Ct);
        await twoPlans.ReloadAsync(Ct);
        Assert.Equal((3, PlanSource.File), (twoPlans.Running!.Version, twoPlans.Running.Source));
        Assert.Equal(2, onePlans.Running!.Version);
        clock.Advance(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 200 && onePlans.Running!.Version != 3; i++)
        {
            await Task.Delay(25, Ct);
        }
        Assert.Equal((Name[9..] + " (C)", 3, PlanSource.Published), (onePlans.Current!.Name, onePlans.Running!.Version, onePlans.Running.Source));
        Assert.Equal((3, PlanVersionRecorder.HashOf(c), "published"), PlanOf((await ReadyAsync(one)).Body));
        // Only the instance with the older file told the leads.
        Assert.Single(one.Teams.Calls, call => call.Json?["text"]?.ToString().Contains("differs from the running version", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_second_instance_with_a_new_file_publishes_the_next_version_and_the_first_follows_it()
    {
        var a = await File.ReadAllTextAsync(RepoPaths.SamplePlan, Ct);
        var prefix = "r" + Guid.NewGuid().ToString("N")[..12];
        await using var one = await TestBot.Create().WithAzurite(azurite.ConnectionString, prefix).WithPlan(a).WithManualDelivery().StartAsync();
        // The second instance's file was never published: a real edit, version 2, which the first instance then runs.
        await using var two = await one.StartSecondInstanceAsync(builder => builder.WithPlan(a.Replace(Name, Name + " (2)", StringComparison.Ordinal)));
        var onePlans = one.Services.GetRequiredService<PlanProvider>();
        var twoPlans = two.Services.GetRequiredService<PlanProvider>();
        Assert.Equal((1, 2), (onePlans.Running!.Version, twoPlans.Running!.Version));

        Assert.True(await onePlans.PollPublishedAsync(Ct));
        Assert.Equal((2, twoPlans.Running.Hash, PlanSource.Published), (onePlans.Running!.Version, onePlans.Running.Hash, onePlans.Running.Source));
        Assert.False(await onePlans.PollPublishedAsync(Ct));
    }
}
