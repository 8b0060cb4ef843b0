using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Tests.Commands;

namespace TeamsRolloutBot.Tests.Delivery;

/// <summary>
/// Through the real delivery engine: "Show failures" and Retry queue just the failed recipients once, and the live status
/// card says when a wave is paused or cancelled (and a cancelled one stops updating).
/// </summary>
public sealed class DeliveriesRetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly List<string> Users = [.. Enumerable.Range(1, 3).Select(DeliveryBot.User)];

    /// <summary>A bot running the commands test plan with <see cref="Users"/> as the members of department Small.</summary>
    private static async Task<TestBot> StartAsync(Dictionary<string, string?>? overrides = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "trb-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var planPath = Path.Combine(folder, "plan.yaml");
        await File.WriteAllTextAsync(planPath, CommandsHarness.Plan.Replace(
            "members: { users: [00000000-0000-0000-0000-0000000000c1, 00000000-0000-0000-0000-0000000000c2, 00000000-0000-0000-0000-0000000000c3] }",
            $"members: {{ users: [{string.Join(", ", Users)}] }}", StringComparison.Ordinal), Ct);
        var settings = new Dictionary<string, string?> { ["Rollout:PlanPath"] = planPath, ["Rollout:WatchPlanFile"] = "false" };
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }
        return await DeliveryBot.StartAsync(settings);
    }

    private static JsonObject Personal(TestBot bot, string text)
    {
        var activity = TestActivities.PersonalMessage(bot.Teams.ServiceUrl, text);
        activity["from"] = CommandsHarness.From(CommandsHarness.LeadId);
        activity["conversation"]!["id"] = "a:personal-" + CommandsHarness.LeadId;
        return activity;
    }

    private static JsonObject Click(TestBot bot, JsonObject action)
    {
        var activity = Personal(bot, "");
        activity.Remove("text");
        activity["type"] = "invoke";
        activity["name"] = "adaptiveCard/action";
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = action["verb"]!.GetValue<string>(), ["data"] = action["data"]!.DeepClone() },
            ["trigger"] = "manual",
        };
        return activity;
    }

    private static async Task<Reply> AskAsync(TestBot bot, string text)
    {
        var before = bot.Teams.Calls.Count;
        Assert.Equal(200, (await bot.PostAsync(Personal(bot, text))).Status);
        return new Reply(Assert.Single(bot.CallsSince(before), c => c.Path.Contains("personal-" + CommandsHarness.LeadId, StringComparison.Ordinal)));
    }

    private static async Task SendEnrollToSmallAsync(TestBot bot)
    {
        var plan = bot.Services.GetRequiredService<PlanProvider>().Current!;
        var enroll = plan.FindWave("pilot")!.EffectiveMessages.Single(m => m.Id == "enroll");
        var result = await bot.Services.GetRequiredService<IWaveControl>().SendNowAsync("request-1", enroll, [plan.FindDepartment("small")!], "Lotte Lead", Ct);
        Assert.True(result.Queued);
    }

    [Fact]
    public async Task Retry_from_show_failures_delivers_to_the_failed_recipients_once_and_a_second_click_does_nothing_more()
    {
        await using var h = await StartAsync(new() { ["Delivery:MaxAttempts"] = "1", ["Delivery:MaxConcurrency"] = "1" });
        await SendEnrollToSmallAsync(h);
        // The first recipient's attempt meets a connector that is briefly unavailable (every try of the resilience pipeline).
        h.Teams.Enqueue(503, count: 4);
        await h.DeliverAsync();
        var failed = (await h.Store.GetDeliveriesAsync("pilot", Ct)).Where(e => e.State == JobState.Failed).Select(e => e.Target).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, u => Assert.Equal(0, h.Teams.MessagesTo(u)));
        Assert.All(Users.Except(failed), u => Assert.Equal(1, h.Teams.MessagesTo(u)));

        var card = await AskAsync(h, "deliveries pilot failed");
        Assert.Contains($"{failed.Count} failed; {failed.Count} can be retried.", card.Text, StringComparison.Ordinal);
        var retry = Assert.Single(card.Actions, a => a["verb"]!.GetValue<string>() == DeliveriesCommands.RetryVerb);

        var first = await h.PostAsync(Click(h, retry));
        Assert.Equal(200, first.Status);
        Assert.Contains($"Queued {failed.Count} recipient(s) again", first.Text, StringComparison.Ordinal);
        await h.DeliverAsync();
        Assert.All(Users, u => Assert.Equal(1, h.Teams.MessagesTo(u)));

        // The same click again (or Teams repeating the invoke): nothing is queued, nobody gets a second card.
        var second = await h.PostAsync(Click(h, retry));
        Assert.Contains("already queued again by Lotte Lead", second.Text, StringComparison.Ordinal);
        await h.DeliverAsync(TimeSpan.FromSeconds(2));
        Assert.All(Users, u => Assert.Equal(1, h.Teams.MessagesTo(u)));
        Assert.Contains("Nothing to retry", (await AskAsync(h, "deliveries retry pilot")).Text, StringComparison.Ordinal);

        var audit = await h.Services.GetRequiredService<IAuditLog>().LatestAsync(20, Ct);
        var entry = Assert.Single(audit, e => e.Command == "deliveries retry pilot");
        Assert.Equal((AuditResults.Done, $"{failed.Count} recipient(s) queued again"), (entry.Result, entry.Detail));
        Assert.Contains("0 failed", (await AskAsync(h, "deliveries pilot")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_typed_retry_command_in_Dutch_queues_the_failures_of_a_wave_again()
    {
        await using var h = await StartAsync(new() { ["Delivery:MaxAttempts"] = "1", ["Delivery:MaxConcurrency"] = "1" });
        await SendEnrollToSmallAsync(h);
        h.Teams.Enqueue(503, count: 4);
        await h.DeliverAsync();
        var failed = (await h.Store.GetDeliveriesAsync("pilot", Ct)).Count(e => e.State == JobState.Failed);
        Assert.True(failed > 0);

        var before = h.Teams.Calls.Count;
        var activity = Personal(h, "bezorgingen opnieuw pilot");
        activity["locale"] = "nl-NL";
        await h.PostAsync(activity);
        var reply = new Reply(Assert.Single(h.CallsSince(before)));
        Assert.Contains($"{failed} ontvanger(s) opnieuw ingepland", reply.Text, StringComparison.Ordinal);
        await h.DeliverAsync();
        Assert.All(Users, u => Assert.Equal(1, h.Teams.MessagesTo(u)));
    }

    [Fact]
    public async Task The_live_status_card_says_paused_and_then_cancelled_and_a_cancelled_card_stops_updating()
    {
        await using var h = await StartAsync();
        await SendEnrollToSmallAsync(h);
        await h.Scheduler.RunOnceAsync(Ct);
        var waves = h.Services.GetRequiredService<IWaveControl>();
        var pilot = h.Services.GetRequiredService<PlanProvider>().Current!.FindWave("pilot")!;
        var reporter = h.Services.GetRequiredService<ProgressReporter>();

        Assert.Equal(WaveActionOutcome.Done, (await waves.PauseAsync(pilot, "Lotte Lead", Ct)).Outcome);
        var before = h.Teams.Calls.Count;
        await reporter.RunOnceAsync(Ct);
        var paused = h.CallsSince(before).Select(c => new Reply(c)).Where(r => r.Card is not null).ToList();
        Assert.NotEmpty(paused);
        Assert.All(paused, r =>
        {
            Assert.Contains("Paused: nothing is being sent until you resume.", r.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("Running", r.Text, StringComparison.Ordinal);
            Assert.Contains(r.Actions, a => a["verb"]!.GetValue<string>() == "status.resume");
            DeliveriesHarness.AssertValid(r.Card!);
        });
        Assert.All(Users, u => Assert.Equal(0, h.Teams.MessagesTo(u)));

        Assert.Equal(WaveActionOutcome.Done, (await waves.CancelAsync(pilot, "Lotte Lead", Ct)).Outcome);
        before = h.Teams.Calls.Count;
        await reporter.RunOnceAsync(Ct);
        var cancelled = h.CallsSince(before);
        Assert.Equal(paused.Count, cancelled.Count);
        Assert.All(cancelled, c =>
        {
            Assert.Equal("PUT", c.Method);
            var r = new Reply(c);
            Assert.Contains("Cancelled: nothing more of this wave is sent.", r.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(r.Actions, a => a["verb"]!.GetValue<string>() is "status.pause" or "status.resume");
        });

        // Its jobs stay queued (held), but the card is final: no more updates, and no "finished" summary.
        before = h.Teams.Calls.Count;
        await reporter.RunOnceAsync(Ct);
        Assert.Empty(h.CallsSince(before));
    }
}
