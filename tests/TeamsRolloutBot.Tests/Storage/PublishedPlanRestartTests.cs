using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Tests.Infrastructure;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>
/// One instance (SQLite): every valid plan is kept in the store as a numbered version; a restart whose plan file is
/// invalid runs the last valid one and tells the leads; <c>/readyz</c> names the running version and fails without a plan.
/// </summary>
public sealed class PublishedPlanRestartTests
{
    private const string LeadId = "3f9c1a52-7d0e-4b8e-9a51-2c6f0e1d4b77";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> SampleAsync() =>
        (await File.ReadAllTextAsync(RepoPaths.SamplePlan, Ct)).Replace("00000000-0000-0000-0000-0000000000aa", LeadId, StringComparison.Ordinal);

    [Fact]
    public async Task A_restart_with_an_invalid_plan_file_runs_the_last_valid_plan_and_tells_the_leads_the_first_error()
    {
        var sample = await SampleAsync();
        string planPath, database;
        await using (var first = await TestBot.Create().WithPlan(sample).WithManualDelivery().StartAsync())
        {
            var ready = await ReadyAsync(first);
            Assert.Equal(HttpStatusCode.OK, ready.Status);
            Assert.Equal((1, PlanVersionRecorder.HashOf(sample), "file"), PlanOf(ready.Body));
            (planPath, database) = (first.PlanPath!, first.DatabasePath);
        }

        var broken = sample.Replace("timeZone: Europe/Amsterdam", "timeZone: Europe/Amsterdamm", StringComparison.Ordinal);
        await File.WriteAllTextAsync(planPath, broken, Ct);
        await using var second = await TestBot.Create().WithPlanFile(planPath).WithSqlite(database).WithManualDelivery().StartAsync();

        var plans = second.Services.GetRequiredService<PlanProvider>();
        Assert.Equal("Intune device enrollment 2027", plans.Current?.Name);
        Assert.Equal((1, PlanVersionRecorder.HashOf(sample), PlanSource.Store), (plans.Running!.Version, plans.Running.Hash, plans.Running.Source));
        Assert.Contains(plans.LastErrors, e => e.Message.Contains("Europe/Amsterdamm", StringComparison.Ordinal));
        // The lead had no chat with the bot yet: it opens one, and the plan's default language is Dutch.
        var notice = await WaitForTextAsync(second.Teams, "laatste geldige plan");
        Assert.Contains("plan.yaml:6:", notice, StringComparison.Ordinal);
        Assert.Contains("timeZone", notice, StringComparison.Ordinal);
        Assert.Contains("Europe/Amsterdamm", notice, StringComparison.Ordinal);
        Assert.Contains("versie 1", notice, StringComparison.Ordinal);
        Assert.Contains($"a:{LeadId}", Uri.UnescapeDataString(second.Teams.Calls.Single(c => c.Json?["text"]?.ToString() == notice).Path), StringComparison.Ordinal);
        var ready2 = await ReadyAsync(second);
        Assert.Equal(HttpStatusCode.OK, ready2.Status);
        Assert.Equal((1, PlanVersionRecorder.HashOf(sample), "store"), PlanOf(ready2.Body));

        // Fixed with an edit: the file runs again, kept as version 2; the leads got the notice once.
        var edited = sample.Replace("rollout: Intune device enrollment 2027", "rollout: Intune device enrollment 2027 (fixed)", StringComparison.Ordinal);
        await File.WriteAllTextAsync(planPath, edited, Ct);
        Assert.True((await plans.ReloadAsync(Ct)).IsValid);
        Assert.Equal((2, PlanSource.File, "Intune device enrollment 2027 (fixed)"), (plans.Running!.Version, plans.Running.Source, plans.Current!.Name));
        Assert.Equal((2, PlanVersionRecorder.HashOf(edited), "file"), PlanOf((await ReadyAsync(second)).Body));
        Assert.Single(second.Teams.Calls, c => c.Json?["text"]?.ToString().Contains("laatste geldige plan", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_missing_plan_file_with_nothing_stored_leaves_the_bot_without_a_plan_and_readyz_fails_until_one_loads()
    {
        await using var bot = await TestBot.Create().WithoutPlan().StartAsync();

        var ready = await ReadyAsync(bot);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        Assert.Equal("Unhealthy", ready.Body!["status"]!.GetValue<string>());
        Assert.Null(ready.Body["plan"]);
        Assert.Equal("Unhealthy", ready.Body["checks"]!["plan"]!["status"]!.GetValue<string>());
        Assert.Contains("No valid plan is loaded", ready.Body["checks"]!["plan"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Healthy", ready.Body["checks"]!["storage"]!["status"]!.GetValue<string>());

        var sample = await SampleAsync();
        await File.WriteAllTextAsync(bot.PlanPath!, sample, Ct);
        await bot.Services.GetRequiredService<PlanProvider>().ReloadAsync(Ct);

        var loaded = await ReadyAsync(bot);
        Assert.Equal(HttpStatusCode.OK, loaded.Status);
        Assert.Equal((1, PlanVersionRecorder.HashOf(sample), "file"), PlanOf(loaded.Body));
        Assert.Equal("Intune device enrollment 2027", loaded.Body!["plan"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task One_instance_runs_its_file_even_when_it_goes_back_to_an_earlier_text()
    {
        var sample = await SampleAsync();
        await using var bot = await TestBot.Create().WithPlan(sample).StartAsync();
        var plans = bot.Services.GetRequiredService<PlanProvider>();
        var edited = sample.Replace("rollout: Intune device enrollment 2027", "rollout: Intune device enrollment 2027 (b)", StringComparison.Ordinal);
        await File.WriteAllTextAsync(bot.PlanPath!, edited, Ct);
        await plans.ReloadAsync(Ct);
        Assert.Equal(2, plans.Running!.Version);

        // Reverted: with one instance the file is the plan, so the earlier text runs again as version 3.
        await File.WriteAllTextAsync(bot.PlanPath!, sample, Ct);
        await plans.ReloadAsync(Ct);

        Assert.Equal(("Intune device enrollment 2027", 3, PlanSource.File), (plans.Current!.Name, plans.Running!.Version, plans.Running.Source));
        Assert.Equal(3, (await bot.Services.GetRequiredService<IPlanVersionStore>().LatestPublishedAsync(Ct))!.Version);
    }

    [Theory]
    [InlineData("00:00:01")]
    [InlineData("02:00:00")]
    public void A_poll_interval_out_of_range_stops_the_start_naming_the_key(string interval)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Rollout:PublishedPlanPollInterval"] = interval }).Build();
        using var services = new ServiceCollection().AddRolloutPlan(configuration).BuildServiceProvider();

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PlanOptions>>().Value);

        Assert.Contains("Rollout:PublishedPlanPollInterval must be between 00:00:05 and 01:00:00", error.Message, StringComparison.Ordinal);
    }

    internal static async Task<(HttpStatusCode Status, JsonNode? Body)> ReadyAsync(TestBot bot)
    {
        using var response = await bot.Client.GetAsync(new Uri("/readyz", UriKind.Relative), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonNode.Parse(text));
    }

    internal static (int? Version, string? Hash, string? Source) PlanOf(JsonNode? body) =>
        (body?["plan"]?["version"]?.GetValue<int>(), body?["plan"]?["hash"]?.GetValue<string>(), body?["plan"]?["source"]?.GetValue<string>());

    internal static async Task<string> WaitForTextAsync(FakeTeams teams, string contains)
    {
        for (var i = 0; i < 400; i++)
        {
            if (teams.Calls.ToList().Select(c => c.Json?["text"]?.ToString()).FirstOrDefault(t => t?.Contains(contains, StringComparison.Ordinal) == true) is { } text)
            {
                return text;
            }
            await Task.Delay(25, Ct);
        }
        throw new TimeoutException($"No message containing '{contains}' within 10 s.");
    }
}
