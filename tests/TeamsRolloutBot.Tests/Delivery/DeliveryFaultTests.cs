using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Tests.Delivery;

/// <summary>Connector and Graph failures (5xx, 429 with Retry-After, timeouts) injected during a wave: nothing lost, every outcome recorded.</summary>
public sealed class DeliveryFaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DeliveryPlan Plan(DepartmentTarget department, params PlannedSend[] sends) =>
        new("test", sends, new Dictionary<string, DepartmentTarget> { [department.Id] = department }, [], "en");

    [Fact]
    public async Task Connector_5xx_429_and_timeouts_during_a_wave_lose_nothing_and_send_nothing_twice()
    {
        await using var h = await DeliveryBot.StartAsync(new() { ["Bot:ConnectorTimeout"] = "00:00:00.300" });
        var users = Enumerable.Range(1, 150).Select(DeliveryBot.User).ToList();
        h.UsePlan(Plan(new DepartmentTarget("hr", "HR", null, "19:hr@thread.tacv2", null, users),
            DeliveryBot.Send("pre-1", "hr", SendAudience.Members, DateTimeOffset.UtcNow),
            DeliveryBot.Send("pre-1", "hr", SendAudience.Channel, DateTimeOffset.UtcNow)));
        h.Teams.Enqueue(502, count: 10);
        h.Teams.Enqueue(429, """{"error":{"code":"Throttled"}}""", retryAfter: "1", count: 3);
        h.Teams.EnqueueHang(TimeSpan.FromSeconds(2), 3);
        h.Teams.Enqueue(500, count: 10);

        await h.DeliverAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, h.Teams.PendingAnswers);
        Assert.All(users, u => Assert.Equal(1, h.Teams.MessagesTo(u)));
        Assert.Equal(1, h.Teams.Messages["19:hr@thread.tacv2"]);
        Assert.True(h.Services.GetRequiredService<TenantPacer>().Throttles >= 3, "a 429 pauses the tenant");
        foreach (var user in users)
        {
            Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(await h.Store.GetDeliveryLogAsync(user, Ct)).Outcome);
        }
    }

    [Fact]
    public async Task A_send_that_keeps_failing_is_retried_with_back_off_up_to_MaxAttempts_then_recorded_as_failed_with_its_reason()
    {
        await using var h = await DeliveryBot.StartAsync(new() { ["Delivery:MaxAttempts"] = "3", ["Delivery:MaxConcurrency"] = "1" });
        var user = DeliveryBot.User(1);
        h.UsePlan(Plan(new DepartmentTarget("hr", "HR", null, null, null, [user]), DeliveryBot.Send("pre-1", "hr", SendAudience.Members, DateTimeOffset.UtcNow)));
        // Every call fails: 4 tries per attempt inside the resilience pipeline, 3 attempts in the outbox.
        h.Teams.Enqueue(503, count: 100);

        await h.DeliverAsync();

        var log = Assert.Single(await h.Store.GetDeliveryLogAsync(user, Ct));
        Assert.Equal((JobState.Failed, DeliveryOutcome.Transient, 3), (log.State, log.Outcome, log.Attempts));
        Assert.Contains("gave up after 3 attempts", log.Detail, StringComparison.Ordinal);
        Assert.Equal(100 - 3 * 4, h.Teams.PendingAnswers);
        Assert.Equal(0, h.Teams.MessagesTo(user));
    }

    [Fact]
    public async Task A_long_Retry_After_puts_the_job_back_in_the_outbox_instead_of_waiting_in_the_request()
    {
        await using var h = await DeliveryBot.StartAsync(new() { ["Bot:MaxShortRetryWait"] = "00:00:00.500" });
        var user = DeliveryBot.User(1);
        h.UsePlan(Plan(new DepartmentTarget("hr", "HR", null, null, null, [user]), DeliveryBot.Send("pre-1", "hr", SendAudience.Members, DateTimeOffset.UtcNow)));
        h.Teams.Enqueue(429, """{"error":{"code":"Throttled"}}""", retryAfter: "2");

        await h.Scheduler.RunOnceAsync(Ct);
        await h.Dispatcher.StartAsync(Ct);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        DeliveryLogEntry? entry = null;
        while (DateTime.UtcNow < deadline && (entry = Assert.Single(await h.Store.GetDeliveryLogAsync(user, Ct))).Outcome is null)
        {
            await Task.Delay(20, Ct);
        }
        Assert.Equal((JobState.Queued, DeliveryOutcome.Throttled), (entry!.State, entry.Outcome));
        while (DateTime.UtcNow < deadline && h.Teams.MessagesTo(user) == 0)
        {
            await Task.Delay(50, Ct);
        }
        await h.Dispatcher.StopAsync(Ct);
        Assert.Equal(1, h.Teams.MessagesTo(user));
        Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(await h.Store.GetDeliveryLogAsync(user, Ct)).Outcome);
    }

    [Fact]
    public async Task Graph_5xx_and_429_on_members_and_mail_lose_nobody()
    {
        await using var h = await DeliveryBot.StartAsync();
        var members = Enumerable.Range(1, 60).Select(i => new FakeUser(DeliveryBot.User(i), $"user{i}@contoso.example")).ToList();
        h.Graph.Directory.PageSize = 25;
        h.Graph.Directory.AddGroup("group-hr", members);
        var now = DateTimeOffset.UtcNow;
        h.UsePlan(Plan(new DepartmentTarget("hr", "HR", null, null, "group-hr", []),
            DeliveryBot.Send("pre-1", "hr", SendAudience.Members, now),
            DeliveryBot.Send("mail", "hr", SendAudience.Email, now)));
        // The first member listing fails outright (500 is not retried by the Graph SDK): that send stays pending.
        h.Graph.Faults.Next(500, 1);
        await h.Scheduler.RunOnceAsync(Ct);
        List<PlannedSendState> states = [(await h.Store.FindSendAsync("wave-1/pre-1/hr/members", Ct))!.State, (await h.Store.FindSendAsync("wave-1/mail/hr/email", Ct))!.State];
        Assert.Equal([PlannedSendState.Pending, PlannedSendState.Expanded], states.Order());

        // Throttling and 503 while paging are waited out by the Graph SDK's retry handler; sendMail 500s by the outbox.
        h.Graph.Faults.Next(429, 1, retryAfterSeconds: 1);
        h.Graph.Faults.Next(503, 1);
        await h.Scheduler.RunOnceAsync(Ct);
        h.Graph.Faults.Next(500, 5);
        await h.DeliverAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, h.Graph.Faults.Pending);
        Assert.All(members, m => Assert.Equal(1, h.Teams.MessagesTo(m.Id)));
        Assert.Equal(members.Select(m => m.Mail).Order(), h.Graph.Mail.Sent.Select(m => m.To).Order());
        foreach (var member in members)
        {
            Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(await h.Store.GetDeliveryLogAsync(member.Mail!, Ct)).Outcome);
        }
    }

    [Fact]
    public async Task A_send_slower_than_its_lease_is_not_sent_a_second_time_by_the_same_process()
    {
        await using var h = await DeliveryBot.StartAsync(new() { ["Delivery:LeaseDuration"] = "00:00:01", ["Bot:ConnectorTimeout"] = "00:00:10" });
        h.Teams.Latency = TimeSpan.FromSeconds(2.5);
        var user = DeliveryBot.User(1);
        await h.Store.SaveConversationAsync(new TeamsRolloutBot.Protocol.ConversationReference("msteams", h.Teams.ServiceUrl, FakeTeams.PersonalId(user), "personal",
            DeliveryBot.Tenant, "28:bot", "29:u", user, null, null, null, null), Ct);
        h.UsePlan(Plan(new DepartmentTarget("hr", "HR", null, null, null, [user]), DeliveryBot.Send("pre-1", "hr", SendAudience.Members, DateTimeOffset.UtcNow)));

        await h.DeliverAsync();
        await Task.Delay(3000, Ct); // a second send, if one had started, would have arrived by now

        Assert.Equal(1, h.Teams.MessagesTo(user));
        Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(await h.Store.GetDeliveryLogAsync(user, Ct)).Outcome);
    }
}
