using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Tests.Infrastructure;

namespace TeamsRolloutBot.Tests.Conversations;

/// <summary>A broken plan edit is reported to the leads in their personal chat, and the last valid plan stays in force.</summary>
public sealed class PlanReloadNotifierTests : IAsyncLifetime
{
    private const string LeadId = "3f9c1a52-7d0e-4b8e-9a51-2c6f0e1d4b77";
    private TestBot _bot = null!;

    public async ValueTask InitializeAsync()
    {
        var sample = await File.ReadAllTextAsync(RepoPaths.SamplePlan, TestContext.Current.CancellationToken);
        _bot = await TestBot.Create().WithPlan(sample.Replace("00000000-0000-0000-0000-0000000000aa", LeadId, StringComparison.Ordinal)).StartAsync();
    }

    public async ValueTask DisposeAsync() => await _bot.DisposeAsync();

    private FakeTeams Connector => _bot.Teams;

    private string PlanPath => _bot.PlanPath!;

    [Fact]
    public async Task An_invalid_edit_is_reported_to_the_lead_and_the_old_plan_stays()
    {
        var hello = TestActivities.PersonalMessage(Connector.ServiceUrl, "hi");
        hello["from"]!["aadObjectId"] = LeadId;
        await _bot.PostAsync(hello);
        var before = Connector.Calls.Count;

        var plans = _bot.Services.GetRequiredService<PlanProvider>();
        var running = plans.Current!;
        var broken = (await File.ReadAllTextAsync(PlanPath, TestContext.Current.CancellationToken)).Replace("timeZone: Europe/Amsterdam", "timeZone: Europe/Amsterdamm", StringComparison.Ordinal);
        await File.WriteAllTextAsync(PlanPath, broken, TestContext.Current.CancellationToken);
        var result = await plans.ReloadAsync(TestContext.Current.CancellationToken);

        Assert.False(result.IsValid);
        Assert.Same(running, plans.Current);
        var calls = await Connector.WaitForCallsAsync(before + 1);
        var text = calls.Skip(before).Single().Json!["text"]!.GetValue<string>();
        Assert.Contains("plan.yaml", text, StringComparison.Ordinal);
        Assert.Contains("1 error", text, StringComparison.Ordinal);
        Assert.Contains("Europe/Amsterdamm", text, StringComparison.Ordinal);
        Assert.Contains("stays in force", text, StringComparison.Ordinal);
        Assert.Contains(":6:", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lead_who_types_plan_reload_gets_the_errors_once_not_a_second_notice()
    {
        var ct = TestContext.Current.CancellationToken;
        var hello = TestActivities.PersonalMessage(Connector.ServiceUrl, "hi");
        hello["from"]!["aadObjectId"] = LeadId;
        await _bot.PostAsync(hello);
        await Connector.WaitForCallsAsync(1);
        var broken = (await File.ReadAllTextAsync(PlanPath, ct)).Replace("timeZone: Europe/Amsterdam", "timeZone: Europe/Amsterdamm", StringComparison.Ordinal);
        await File.WriteAllTextAsync(PlanPath, broken, ct);
        var before = Connector.Calls.Count;

        var reload = TestActivities.PersonalMessage(Connector.ServiceUrl, "plan reload");
        reload["from"]!["aadObjectId"] = LeadId;
        await _bot.PostAsync(reload);

        var calls = await Connector.WaitForCallsAsync(before + 1);
        await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        var toLead = Connector.Calls.Skip(before).ToList();
        var answer = Assert.Single(toLead);
        Assert.Contains("Europe/Amsterdamm", answer.Json!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before + 1, calls.Count);
    }

    [Fact]
    public async Task An_instance_that_does_not_lead_leaves_the_notice_to_the_leader()
    {
        var ct = TestContext.Current.CancellationToken;
        var hello = TestActivities.PersonalMessage(Connector.ServiceUrl, "hi");
        hello["from"]!["aadObjectId"] = LeadId;
        await _bot.PostAsync(hello);
        await Connector.WaitForCallsAsync(1);
        // A second instance on the same store that is not the leader.
        await using var follower = await _bot.StartSecondInstanceAsync(b => b.WithServices(s => s.AddSingleton<ILeadership>(new Follower())));
        var before = Connector.Calls.Count;

        var broken = (await File.ReadAllTextAsync(PlanPath, ct)).Replace("timeZone: Europe/Amsterdam", "timeZone: Europe/Amsterdamm", StringComparison.Ordinal);
        await File.WriteAllTextAsync(PlanPath, broken, ct);
        var result = await follower.Services.GetRequiredService<PlanProvider>().ReloadAsync(ct);

        Assert.False(result.IsValid);
        await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        Assert.Equal(before, Connector.Calls.Count);
    }

    private sealed class Follower : ILeadership
    {
        public bool IsLeader => false;

        public Task WaitForLeadershipAsync(CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
