using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Tests.Delivery;

namespace TeamsRolloutBot.Tests.Commands;

/// <summary>The delivery engine follows the leads' wave commands: a paused wave sends nothing, resuming sends the rest once.</summary>
public sealed class WaveDeliveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Wave Wave1 = new("wave-1", new LocalizedText(new Dictionary<string, string> { ["en"] = "Wave 1" }), false, ["hr"],
        DateOnly.FromDateTime(DateTime.UtcNow), 28, null, new SourceLocation(1, 1));

    private static DeliveryPlan Plan(IReadOnlyList<string> users, params PlannedSend[] sends) =>
        new("test", sends, new Dictionary<string, DepartmentTarget> { ["hr"] = new("hr", "HR", null, null, null, users) }, [DeliveryBot.Lead]);

    [Fact]
    public async Task Pausing_a_running_wave_holds_its_messages_and_resuming_sends_each_exactly_once()
    {
        await using var h = await DeliveryBot.StartAsync();
        var waves = h.Services.GetRequiredService<IWaveControl>();
        Assert.NotNull(h.Services.GetService<TeamsRolloutBot.Storage.IDeliveryStore>());
        var users = Enumerable.Range(1, 20).Select(DeliveryBot.User).ToList();
        h.UsePlan(Plan(users,
            DeliveryBot.Send("pre-1", "hr", SendAudience.Members, DateTimeOffset.UtcNow.AddMinutes(-1)),
            DeliveryBot.Send("pre-2", "hr", SendAudience.Members, DateTimeOffset.UtcNow.AddMinutes(-1))));

        // The wave runs: its due messages are expanded into the outbox; then it is paused before they go out.
        await h.Scheduler.RunOnceAsync(Ct);
        Assert.Equal(WaveActionOutcome.Done, (await waves.PauseAsync(Wave1, "Lotte Lead", Ct)).Outcome);

        // While paused no dispatcher can take its jobs, nothing is due, and another scheduler pass adds nothing.
        Assert.Empty(await h.Store.LeaseAsync("test", 100, DateTimeOffset.UtcNow.AddMinutes(5), TimeSpan.FromMinutes(1), Ct));
        Assert.Null(await h.Store.NextDueAsync(Ct));
        await h.Scheduler.RunOnceAsync(Ct);
        Assert.Null(await h.Store.NextDueAsync(Ct));
        Assert.All(users, u => Assert.Equal(0, h.Teams.MessagesTo(u)));

        Assert.Equal(WaveActionOutcome.Done, (await waves.ResumeAsync(Wave1, "Lotte Lead", Ct)).Outcome);
        await h.DeliverAsync();

        // Both messages, to every member, once each: nothing lost while paused, nothing repeated after.
        Assert.All(users, u => Assert.Equal(2, h.Teams.MessagesTo(u)));
        var status = await waves.GetStatusAsync(Wave1, Ct);
        Assert.Equal(new DeliveryCounts(40, 0, 0, 0), status.Deliveries);
    }

    [Fact]
    public async Task A_cancelled_wave_sends_nothing_more()
    {
        await using var h = await DeliveryBot.StartAsync();
        var waves = h.Services.GetRequiredService<IWaveControl>();
        var users = Enumerable.Range(1, 5).Select(DeliveryBot.User).ToList();
        h.UsePlan(Plan(users, DeliveryBot.Send("pre-1", "hr", SendAudience.Members, DateTimeOffset.UtcNow.AddMinutes(-1))));
        await waves.CancelAsync(Wave1, "Lotte Lead", Ct);

        await h.DeliverAsync(TimeSpan.FromSeconds(2));

        Assert.All(users, u => Assert.Equal(0, h.Teams.MessagesTo(u)));
        Assert.Equal(PlannedSendState.Pending, (await h.Store.FindSendAsync("wave-1/pre-1/hr/members", Ct))?.State ?? PlannedSendState.Pending);
    }
}

/// <summary>The delivery engine's view of the plan follows wave start dates and holds set by the leads.</summary>
public sealed class WavePlanSourceTests(CommandsHarness bot) : IClassFixture<CommandsHarness>
{
    [Fact]
    public async Task A_moved_start_moves_the_delivery_schedule_and_a_paused_wave_leaves_it()
    {
        var source = bot.Services.GetRequiredService<DeliveryPlanSource>();
        var before = (await source.CurrentAsync(TestContext.Current.CancellationToken))!.Sends;
        Assert.Contains(before, s => s.Key == "autumn/prepare/small/channel" && s.DueUtc == new DateTimeOffset(2027, 9, 6, 7, 30, 0, TimeSpan.Zero));

        await bot.AskAsync("wave start autumn 2027-09-13");
        var moved = (await source.CurrentAsync(TestContext.Current.CancellationToken))!.Sends;
        Assert.Contains(moved, s => s.Key == "autumn/prepare/small/channel" && s.DueUtc == new DateTimeOffset(2027, 9, 13, 7, 30, 0, TimeSpan.Zero));
        Assert.Equal(before.Count, moved.Count);

        await bot.AskAsync("wave pause autumn");
        var paused = (await source.CurrentAsync(TestContext.Current.CancellationToken))!.Sends;
        Assert.DoesNotContain(paused, s => s.WaveId == "autumn");
        Assert.Contains(paused, s => s.WaveId == "pilot");

        await bot.AskAsync("wave resume autumn");
        var resumed = (await source.CurrentAsync(TestContext.Current.CancellationToken))!.Sends;
        Assert.Contains(resumed, s => s.Key == "autumn/prepare/small/channel" && s.DueUtc == new DateTimeOffset(2027, 9, 13, 7, 30, 0, TimeSpan.Zero));
    }
}

/// <summary><c>send ... now</c> goes through the delivery engine: expanded on its next pass, sent once per request.</summary>
public sealed class SendNowDeliveryTests(CommandsHarness bot) : IClassFixture<CommandsHarness>
{
    [Fact]
    public async Task A_send_now_request_becomes_a_delivery_send_once_even_when_confirmed_twice()
    {
        var ct = TestContext.Current.CancellationToken;
        var small = await bot.AskAsync("send enroll to small now");
        Assert.Contains("Sending `enroll` to Small: 1 send(s) queued", small.Text, StringComparison.Ordinal);

        var card = await bot.AskAsync("send prepare to main now");
        var id = card.Actions.First(a => a["verb"]!.GetValue<string>() == "confirm")["data"]!["confirmationId"]!.GetValue<string>();
        await bot.InvokeAsync(bot.CardAction("confirm", new System.Text.Json.Nodes.JsonObject { ["confirmationId"] = id }));
        await bot.InvokeAsync(bot.CardAction("confirm", new System.Text.Json.Nodes.JsonObject { ["confirmationId"] = id }));

        var sends = (await bot.Services.GetRequiredService<DeliveryPlanSource>().CurrentAsync(ct))!.Sends
            .Where(s => s.Key.Contains("/now-", StringComparison.Ordinal)).ToList();
        // enroll (members) to small; prepare (channel and members) to big, once for the one confirmation.
        Assert.Single(sends, s => s.MessageId == "enroll" && s.DepartmentId == "small" && s.Audience == SendAudience.Members);
        Assert.Equal(2, sends.Count(s => s.MessageId == "prepare" && s.DepartmentId == "big" && s.Key.EndsWith("/now-" + id, StringComparison.Ordinal)));
        Assert.Equal(3, sends.Count);
        Assert.All(sends, s => Assert.True(s.DueUtc <= DateTimeOffset.UtcNow.AddYears(1)));
    }
}

/// <summary>End to end: a send-now request is delivered by the engine to every member once, and a repeat of the request adds nothing.</summary>
public sealed class SendNowEndToEndTests
{
    [Fact]
    public async Task Send_now_reaches_every_member_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var users = Enumerable.Range(1, 3).Select(DeliveryBot.User).ToList();
        var folder = Path.Combine(Path.GetTempPath(), "trb-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var planPath = Path.Combine(folder, "plan.yaml");
        await File.WriteAllTextAsync(planPath, CommandsHarness.Plan.Replace(
            "members: { users: [00000000-0000-0000-0000-0000000000c1, 00000000-0000-0000-0000-0000000000c2, 00000000-0000-0000-0000-0000000000c3] }",
            $"members: {{ users: [{string.Join(", ", users)}] }}", StringComparison.Ordinal), ct);
        await using var h = await DeliveryBot.StartAsync(new Dictionary<string, string?> { ["Rollout:PlanPath"] = planPath, ["Rollout:WatchPlanFile"] = "false" });
        var plan = h.Services.GetRequiredService<PlanProvider>().Current!;
        var waves = h.Services.GetRequiredService<IWaveControl>();
        var enroll = plan.FindWave("pilot")!.EffectiveMessages.Single(m => m.Id == "enroll");

        var result = await waves.SendNowAsync("request-1", enroll, [plan.FindDepartment("small")!], "Lotte Lead", ct);
        Assert.True(result.Queued);
        await h.DeliverAsync();
        await waves.SendNowAsync("request-1", enroll, [plan.FindDepartment("small")!], "Lotte Lead", ct);
        await h.DeliverAsync(TimeSpan.FromSeconds(2));

        Assert.All(users, u => Assert.Equal(1, h.Teams.MessagesTo(u)));
        Assert.Equal(new DeliveryCounts(3, 0, 0, 0), (await waves.GetStatusAsync(plan.FindWave("pilot")!, ct)).Deliveries);
    }
}
