using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Tests.Feedback;
using TeamsRolloutBot.Tests.Infrastructure;

namespace TeamsRolloutBot.Tests.Conversations;

/// <summary>
/// A lead gets every automatic message (the timed feedback summary, plan-reload errors) whether the plan lists the
/// lead by Entra object id, by UPN, or through <c>leads.group</c>; UPNs and the group are resolved through Graph.
/// Missed-send reports are covered for the three forms in DeliveryFlowTests.
/// </summary>
public sealed class LeadFormsTests
{
    private const string Lead = "00000000-0000-0000-0000-0000000000ab";
    private const string Upn = "anne.lead@contoso.example";
    private const string LeadGroup = "22222222-2222-2222-2222-222222222222";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("id")]
    [InlineData("upn")]
    [InlineData("group")]
    public async Task A_lead_gets_the_timed_summary_and_plan_reload_errors_however_the_plan_lists_the_lead(string form)
    {
        await using var graph = await FakeGraph.StartAsync();
        graph.Directory.Users[Lead] = new FakeUser(Lead, Upn);
        graph.Directory.AddGroup(LeadGroup, [new FakeUser(Lead, Upn), new FakeUser("00000000-0000-0000-0000-0000000000ac", "bob@contoso.example")]);
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false, new() { ["Graph:BaseUrl"] = graph.BaseUrl });
        var plans = bot.Services.GetRequiredService<PlanProvider>();

        var original = await File.ReadAllTextAsync(bot.PlanPath, Ct);
        var leads = form switch
        {
            "id" => $"leads: {{ users: [{Lead}] }}",
            "upn" => $"leads: {{ users: [{Upn}] }}",
            _ => $"leads: {{ group: {LeadGroup} }}",
        };
        var edited = original.Replace($"leads: {{ users: [{FeedbackBot.LeadAad}] }}", leads, StringComparison.Ordinal);
        Assert.NotEqual(original, edited);
        await File.WriteAllTextAsync(bot.PlanPath, edited, Ct);
        var reload = await plans.ReloadAsync(Ct);
        Assert.True(reload.IsValid, string.Join("\n", reload.Errors));
        await bot.InstallPersonalAsync(Lead, "29:anne", locale: "en-US");

        // The survey reaches the members now; the summary is due twelve days after that delivery.
        await bot.RecordSurveyJobsAsync("hr", [1, 2]);
        var before = bot.Teams.Calls.Count;
        bot.Time.Advance(TimeSpan.FromDays(12.5));
        await bot.Services.GetRequiredService<FeedbackNotifier>().RunOnceAsync(Ct);
        var summary = await ToLeadAsync(bot, before, c => c.Json?["attachments"] is not null);
        Assert.Contains("Wave: Wave 1", CardText.All(summary.Json!["attachments"]![0]!["content"]), StringComparison.Ordinal);

        // A broken edit: the lead is told, and the plan in force stays.
        before = bot.Teams.Calls.Count;
        await File.WriteAllTextAsync(bot.PlanPath, edited.Replace("timeZone: Europe/Amsterdam", "timeZone: Europe/Amsterdamm", StringComparison.Ordinal), Ct);
        Assert.False((await plans.ReloadAsync(Ct)).IsValid);
        var notice = await ToLeadAsync(bot, before, c => c.Json?["text"] is not null);
        Assert.Contains("Europe/Amsterdamm", (string)notice.Json!["text"]!, StringComparison.Ordinal);
    }

    /// <summary>The first message posted to the lead's personal chat since <paramref name="before"/> calls that matches.</summary>
    private static async Task<ConnectorCall> ToLeadAsync(FeedbackBot bot, int before, Func<ConnectorCall, bool> match)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (bot.CallsSince(before).FirstOrDefault(c => c.Method == "POST" && c.Path.Contains("personal-" + Lead, StringComparison.Ordinal) && match(c)) is { } call)
            {
                return call;
            }
            await Task.Delay(50, Ct);
        }
        Assert.Fail("The lead got no message; calls: " + string.Join(", ", bot.CallsSince(before).Select(c => $"{c.Method} {c.Path}")));
        return null!;
    }
}
