using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Tests.Plan;

public sealed class PlanProviderTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("plan-provider-").FullName;

    private string PlanFile => Path.Combine(folder, "plan.yaml");

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private PlanProvider Create(bool watch = false) => new(
        Options.Create(new PlanOptions { PlanPath = "plan.yaml", WatchPlanFile = watch, PlanReloadDelay = TimeSpan.FromMilliseconds(50) }),
        new HostingEnvironment { ContentRootPath = folder },
        TimeProvider.System,
        CardMessageRules.Instance,
        NullLogger<PlanProvider>.Instance);

    [Fact]
    public async Task Invalid_plan_never_replaces_the_running_one()
    {
        var ct = TestContext.Current.CancellationToken;
        await File.WriteAllTextAsync(PlanFile, PlanFixtures.Small, ct);
        using var provider = Create();
        await provider.StartAsync(ct);
        var running = provider.Current;
        Assert.NotNull(running);
        Assert.Empty(provider.LastErrors);

        var events = new List<PlanReloadedEventArgs>();
        provider.Reloaded += (_, e) => events.Add(e);
        await File.WriteAllTextAsync(PlanFile, PlanFixtures.SmallWith("phase: pre-enrollment", "phase: pre-enrolment"), ct);
        var result = await provider.ReloadAsync(ct);

        Assert.False(result.IsValid);
        Assert.Same(running, provider.Current);
        var error = Assert.Single(provider.LastErrors);
        Assert.Equal((PlanFile, 26), (error.File, error.Line));
        var reported = Assert.Single(events);
        Assert.False(reported.Succeeded);
        Assert.Same(running, reported.Current);

        await File.WriteAllTextAsync(PlanFile, PlanFixtures.SmallWith("rollout: Test rollout", "rollout: Edited rollout"), ct);
        await provider.ReloadAsync(ct);

        Assert.Equal("Edited rollout", provider.Current!.Name);
        Assert.Empty(provider.LastErrors);
        Assert.True(events[^1].Succeeded);
    }

    [Fact]
    public async Task Reload_report_for_the_leads_says_what_is_wrong_and_what_stays_in_force()
    {
        var ct = TestContext.Current.CancellationToken;
        await File.WriteAllTextAsync(PlanFile, PlanFixtures.Small, ct);
        using var provider = Create();
        PlanReloadedEventArgs? last = null;
        provider.Reloaded += (_, e) => last = e;
        await provider.StartAsync(ct);
        Assert.Equal("Plan 'Test rollout' loaded: 2 waves, 2 departments, 0 warnings.", last!.Describe());

        await File.WriteAllTextAsync(PlanFile, PlanFixtures.SmallWith("template: enrollment", "template: enrolment"), ct);
        await provider.ReloadAsync(ct);

        Assert.Equal(
            "The plan file has 1 error(s) and was not loaded. Plan 'Test rollout' stays in force." + Environment.NewLine +
            "- line 38, messages[1].template: unknown card template 'enrolment' — did you mean 'enrollment'? use one of introduction, pre-enrollment, enrollment, survey, reminder",
            last.Describe());
    }

    [Fact]
    public async Task A_failing_handler_does_not_undo_the_reload()
    {
        var ct = TestContext.Current.CancellationToken;
        await File.WriteAllTextAsync(PlanFile, PlanFixtures.Small, ct);
        using var provider = Create();
        provider.Reloaded += (_, _) => throw new InvalidOperationException("chat is down");

        await provider.StartAsync(ct);

        Assert.Equal("Test rollout", provider.Current?.Name);
    }

    [Fact]
    public async Task Missing_file_leaves_no_plan_and_an_error()
    {
        using var provider = Create();

        await provider.StartAsync(TestContext.Current.CancellationToken);

        Assert.Null(provider.Current);
        Assert.Contains("cannot be read", Assert.Single(provider.LastErrors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_change_is_picked_up_and_reported()
    {
        var ct = TestContext.Current.CancellationToken;
        await File.WriteAllTextAsync(PlanFile, PlanFixtures.Small, ct);
        using var provider = Create(watch: true);
        await provider.StartAsync(ct);

        var failed = new TaskCompletionSource<PlanReloadedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        // An editor's save can surface as several writes; wait for the reload that saw the whole edit.
        provider.Reloaded += (_, e) => { if (e.Result.Errors.Any(x => x.Message.Contains("outside the wave", StringComparison.Ordinal))) { failed.TrySetResult(e); } };
        await File.WriteAllTextAsync(PlanFile, PlanFixtures.SmallWith("offset: 2w", "offset: 9w"), ct);
        var bad = await failed.Task.WaitAsync(TimeSpan.FromSeconds(15), ct);

        Assert.False(bad.Succeeded);
        Assert.Equal("Test rollout", provider.Current!.Name);
        Assert.Contains(provider.LastErrors, e => e.Line == 35 && e.Message.Contains("outside the wave", StringComparison.Ordinal));

        var succeeded = new TaskCompletionSource<PlanReloadedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.Reloaded += (_, e) => { if (e.Succeeded) { succeeded.TrySetResult(e); } };
        await File.WriteAllTextAsync(PlanFile, PlanFixtures.SmallWith("rollout: Test rollout", "rollout: Fixed rollout"), ct);
        var good = await succeeded.Task.WaitAsync(TimeSpan.FromSeconds(15), ct);

        Assert.Equal("Fixed rollout", good.Current!.Name);
        Assert.Same(good.Current, provider.Current);
        await provider.StopAsync(ct);
    }

    [Fact]
    public async Task AddRolloutPlan_reads_Rollout_PlanPath_and_loads_at_start()
    {
        var ct = TestContext.Current.CancellationToken;
        await File.WriteAllTextAsync(PlanFile, PlanFixtures.Small, ct);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Rollout:PlanPath"] = PlanFile, ["Rollout:WatchPlanFile"] = "false" })
            .Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IHostEnvironment>(new HostingEnvironment { ContentRootPath = folder })
            .AddCards(configuration)
            .AddRolloutPlan(configuration);
        await using var provider = services.BuildServiceProvider();

        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(ct);
        }

        var plans = provider.GetRequiredService<PlanProvider>();
        Assert.Equal(PlanFile, plans.PlanPath);
        Assert.Equal("Test rollout", plans.Current?.Name);
    }

    [Fact]
    public void Relative_default_path_is_found_above_the_content_root()
    {
        var contentRoot = Path.Combine(PlanFixtures.RepoRoot, "src", "TeamsRolloutBot");

        var path = PlanProvider.ResolvePath("samples/intune-rollout.yaml", contentRoot);

        Assert.Equal(PlanFixtures.SamplePath, path);
    }
}
