using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Tests.Delivery;

/// <summary>A planned message reaching its channel, members and mailboxes through the real scheduler, outbox and dispatcher.</summary>
public sealed class DeliveryFlowTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DeliveryPlan Plan(DepartmentTarget department, params PlannedSend[] sends) =>
        new("test", sends, new Dictionary<string, DepartmentTarget> { [department.Id] = department }, [DeliveryBot.Lead], "en");

    [Fact]
    public async Task Channel_members_from_a_paged_Graph_group_and_email_all_get_the_message_once()
    {
        await using var h = await DeliveryBot.StartAsync();
        var members = Enumerable.Range(1, 250).Select(i => new FakeUser(DeliveryBot.User(i), $"user{i}@contoso.example", i % 2 == 0 ? "en-US" : "nl-NL")).ToList();
        h.Graph.Directory.PageSize = 100;
        h.Graph.Directory.AddGroup("group-it", members);
        var now = DateTimeOffset.UtcNow;
        var it = new DepartmentTarget("it", "IT", "19:team-it@thread.tacv2", "19:it-rollout@thread.tacv2", "group-it", []);
        h.UsePlan(Plan(it,
            DeliveryBot.Send("pre-1", "it", SendAudience.Channel, now),
            DeliveryBot.Send("pre-1", "it", SendAudience.Members, now),
            DeliveryBot.Send("mail-1", "it", SendAudience.Email, now)));

        await h.DeliverAsync();

        Assert.Equal(1, h.Teams.Messages["19:it-rollout@thread.tacv2"]);
        Assert.All(members, m => Assert.Equal(1, h.Teams.MessagesTo(m.Id)));
        var mailLog = await h.Store.GetDeliveryLogAsync(members[0].Mail!, Ct);
        Assert.True(mailLog[0].Outcome == DeliveryOutcome.Delivered, mailLog[0].Detail);
        Assert.Equal(members.Select(m => m.Mail).Order(), h.Graph.Mail.Sent.Select(m => m.To).Order());
        Assert.All(h.Graph.Mail.Sent, m => Assert.Equal("rollout@contoso.example", m.From));
        Assert.All(h.Graph.Calls, c => Assert.Equal("Bearer " + TestBot.OutboundToken, c.Authorization));

        var channelLog = Assert.Single(await h.Store.GetDeliveryLogAsync("19:it-rollout@thread.tacv2", Ct));
        Assert.Equal(DeliveryOutcome.Delivered, channelLog.Outcome);
        Assert.StartsWith("19:it-rollout@thread.tacv2;messageid=", channelLog.ConversationId, StringComparison.Ordinal);
        Assert.NotNull(channelLog.ActivityId);
        var personal = Assert.Single(await h.Store.GetDeliveryLogAsync(members[0].Id, Ct));
        Assert.Equal((JobState.Delivered, DeliveryKind.Personal), (personal.State, personal.Kind));
        // The new 1:1 chat is cached for the next message.
        Assert.Equal(FakeTeams.PersonalId(members[0].Id), (await h.Store.FindPersonalConversationAsync(members[0].Id, Ct))!.Reference.ConversationId);
    }

    [Fact]
    public async Task Running_the_scheduler_again_or_after_a_restart_does_not_enqueue_a_send_twice()
    {
        await using var h = await DeliveryBot.StartAsync();
        var users = Enumerable.Range(1, 30).Select(DeliveryBot.User).ToList();
        h.UsePlan(Plan(new DepartmentTarget("hr", "HR", null, null, null, users), DeliveryBot.Send("pre-1", "hr", SendAudience.Members, DateTimeOffset.UtcNow)));
        await h.Scheduler.RunOnceAsync(Ct);
        await h.Store.MarkSendAsync("wave-1/pre-1/hr/members", PlannedSendState.Pending, 0, null, Ct); // as if the process died before marking it
        await h.Scheduler.RunOnceAsync(Ct);

        await h.DeliverAsync();

        Assert.All(users, u => Assert.Equal(1, h.Teams.MessagesTo(u)));
        Assert.Equal(30, (await h.Store.FindSendAsync("wave-1/pre-1/hr/members", Ct))!.JobCount);
    }

    [Fact]
    public async Task Without_a_group_or_users_the_members_come_from_the_team_roster_page_by_page()
    {
        await using var h = await DeliveryBot.StartAsync();
        var roster = Enumerable.Range(1, 1200).Select(DeliveryBot.User).ToList();
        h.Teams.Rosters["19:team-hr@thread.tacv2"] = roster;
        h.UsePlan(Plan(new DepartmentTarget("hr", "HR", "19:team-hr@thread.tacv2", null, null, []),
            DeliveryBot.Send("pre-1", "hr", SendAudience.Members, DateTimeOffset.UtcNow)));

        await h.DeliverAsync();

        Assert.All(roster, u => Assert.Equal(1, h.Teams.MessagesTo(u)));
        Assert.Equal(1200, (await h.Store.FindSendAsync("wave-1/pre-1/hr/members", Ct))!.JobCount);
    }

    [Fact]
    public async Task A_cached_chat_that_is_gone_is_forgotten_and_a_new_one_is_opened()
    {
        await using var h = await DeliveryBot.StartAsync();
        var user = DeliveryBot.User(5);
        await h.Store.SaveConversationAsync(new TeamsRolloutBot.Protocol.ConversationReference("msteams", h.Teams.ServiceUrl, "a:deleted-chat", "personal",
            DeliveryBot.Tenant, "28:bot", "29:x", user, null, null, null, null), Ct);
        h.UsePlan(Plan(new DepartmentTarget("hr", "HR", null, null, null, [user]), DeliveryBot.Send("pre-1", "hr", SendAudience.Members, DateTimeOffset.UtcNow)));
        h.Teams.Enqueue(404, """{"error":{"code":"ConversationNotFound","message":"Conversation not found."}}""");

        await h.DeliverAsync();

        Assert.Equal(1, h.Teams.MessagesTo(user));
        var refreshed = await h.Store.FindPersonalConversationAsync(user, Ct);
        Assert.Equal(FakeTeams.PersonalId(user), refreshed!.Reference.ConversationId);
        var log = Assert.Single(await h.Store.GetDeliveryLogAsync(user, Ct));
        Assert.Equal((DeliveryOutcome.Delivered, 2), (log.Outcome!.Value, log.Attempts));
    }

    [Fact]
    public async Task A_user_without_the_app_gets_it_installed_through_Graph_and_then_the_message()
    {
        await using var h = await DeliveryBot.StartAsync();
        h.Teams.RequireInstall = true;
        var user = DeliveryBot.User(7);
        h.UsePlan(Plan(new DepartmentTarget("hr", "HR", null, null, null, [user]), DeliveryBot.Send("pre-1", "hr", SendAudience.Members, DateTimeOffset.UtcNow)));

        await h.DeliverAsync();

        Assert.Equal([user], h.Graph.TeamsApps.Installs);
        Assert.Equal(1, h.Teams.MessagesTo(user));
        var log = Assert.Single(await h.Store.GetDeliveryLogAsync(user, Ct));
        Assert.Equal(DeliveryOutcome.Delivered, log.Outcome);
    }

    [Fact]
    public async Task Blocked_users_and_unknown_plan_members_are_recorded_and_not_retried()
    {
        await using var h = await DeliveryBot.StartAsync();
        var blocked = DeliveryBot.User(1);
        var fine = DeliveryBot.User(2);
        h.Graph.Directory.AddGroup("unused", [new FakeUser(blocked, "b@contoso.example"), new FakeUser(fine, "f@contoso.example")]);
        h.Teams.Blocked[FakeTeams.PersonalId(blocked)[2..]] = true;
        h.UsePlan(Plan(new DepartmentTarget("hr", "HR", null, null, null, [blocked, fine, "ghost@contoso.example"]),
            DeliveryBot.Send("pre-1", "hr", SendAudience.Members, DateTimeOffset.UtcNow)));

        await h.DeliverAsync();

        var blockedLog = Assert.Single(await h.Store.GetDeliveryLogAsync(blocked, Ct));
        Assert.Equal((JobState.Failed, DeliveryOutcome.BotBlocked, 1), (blockedLog.State, blockedLog.Outcome, blockedLog.Attempts));
        var ghost = Assert.Single(await h.Store.GetDeliveryLogAsync("ghost@contoso.example", Ct));
        Assert.Equal(DeliveryOutcome.RecipientGone, ghost.Outcome);
        Assert.Contains("not found", ghost.Detail, StringComparison.Ordinal);
        Assert.Equal(1, h.Teams.MessagesTo(fine));
    }

    [Fact]
    public async Task A_send_missed_beyond_the_grace_window_is_reported_to_the_leads_and_not_sent_late()
    {
        await using var h = await DeliveryBot.StartAsync(new() { ["Delivery:GraceWindow"] = "02:00:00" });
        var users = new[] { DeliveryBot.User(1) };
        var now = DateTimeOffset.UtcNow;
        h.UsePlan(Plan(new DepartmentTarget("hr", "HR", null, null, null, users),
            DeliveryBot.Send("old", "hr", SendAudience.Members, now - TimeSpan.FromHours(10)),
            DeliveryBot.Send("recent", "hr", SendAudience.Members, now - TimeSpan.FromHours(1))));

        await h.DeliverAsync();

        Assert.Equal(1, h.Teams.MessagesTo(users[0]));
        var jobs = await h.Store.GetDeliveryLogAsync(users[0], Ct);
        Assert.Equal("recent", Assert.Single(jobs).MessageId);
        var missed = await h.Store.FindSendAsync("wave-1/old/hr/members", Ct);
        Assert.Equal(PlannedSendState.Missed, missed!.State);
        Assert.NotNull(missed.ReportedAt);
        Assert.Contains("Missed send", h.Teams.LastBody[FakeTeams.PersonalId(DeliveryBot.Lead)], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missed_sends_also_reach_the_members_of_the_lead_group_and_leads_given_by_UPN()
    {
        await using var h = await DeliveryBot.StartAsync();
        var groupLead = DeliveryBot.User(900);
        var upnLead = DeliveryBot.User(901);
        h.Graph.Directory.AddGroup("leads", [new FakeUser(groupLead, "lead1@contoso.example")]);
        h.Graph.Directory.Users[upnLead] = new FakeUser(upnLead, "anne@contoso.example");
        var send = DeliveryBot.Send("old", "hr", SendAudience.Channel, DateTimeOffset.UtcNow - TimeSpan.FromDays(2));
        h.UsePlan(new DeliveryPlan("test", [send], new Dictionary<string, DepartmentTarget> { ["hr"] = new("hr", "HR", null, "19:hr@thread.tacv2", null, []) },
            ["anne@contoso.example"], "en", "leads"));

        await h.Scheduler.RunOnceAsync(Ct);

        Assert.Contains("Missed send", h.Teams.LastBody[FakeTeams.PersonalId(groupLead)], StringComparison.Ordinal);
        Assert.Contains("Missed send", h.Teams.LastBody[FakeTeams.PersonalId(upnLead)], StringComparison.Ordinal);
        Assert.False(h.Teams.Messages.ContainsKey("19:hr@thread.tacv2"));
    }

    [Fact]
    public async Task In_local_Playground_mode_email_is_skipped_with_its_reason_and_members_come_from_the_plan()
    {
        await using var h = await DeliveryBot.StartAsync(local: true);
        var users = Enumerable.Range(1, 5).Select(DeliveryBot.User).ToList();
        var now = DateTimeOffset.UtcNow;
        h.UsePlan(Plan(new DepartmentTarget("hr", "HR", null, null, "group-without-graph", users),
            DeliveryBot.Send("pre-1", "hr", SendAudience.Members, now),
            DeliveryBot.Send("mail", "hr", SendAudience.Email, now)));

        await h.DeliverAsync();

        Assert.All(users, u => Assert.Equal(1, h.Teams.MessagesTo(u)));
        Assert.Empty(h.Graph.Mail.Sent);
        var email = (await h.Store.GetDeliveryLogAsync(users[0], Ct)).Single(e => e.Kind == DeliveryKind.Email);
        Assert.Equal((JobState.Skipped, DeliveryOutcome.Skipped), (email.State, email.Outcome));
        Assert.Contains("Playground", email.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_local_Playground_mode_a_group_department_gets_the_team_roster_from_the_Playground()
    {
        // Nothing listens on the default connector: the roster and the sends must use the Playground's serviceUrl.
        await using var h = await DeliveryBot.StartAsync(new() { ["Delivery:DefaultServiceUrl"] = "http://127.0.0.1:9/" }, local: true);
        await h.Store.SaveConversationAsync(new TeamsRolloutBot.Protocol.ConversationReference("msteams", h.Teams.ServiceUrl, "a:playground-personal-lead", "personal",
            DeliveryBot.Tenant, "28:bot", "29:lead", DeliveryBot.Lead, null, null, null, null), Ct);
        var roster = Enumerable.Range(1, 3).Select(DeliveryBot.User).ToList();
        h.Teams.Rosters["19:team-it@thread.tacv2"] = roster;
        h.UsePlan(Plan(new DepartmentTarget("it", "IT", "19:team-it@thread.tacv2", null, "group-without-graph", []),
            DeliveryBot.Send("post-1", "it", SendAudience.Members, DateTimeOffset.UtcNow)));

        await h.DeliverAsync();

        Assert.All(roster, u => Assert.Equal(1, h.Teams.MessagesTo(u)));
    }

    [Fact]
    public async Task With_a_plan_file_members_get_the_plan_messages_card_in_their_language_and_the_lead_the_status_template()
    {
        var plan = Path.Combine(Path.GetTempPath(), "trb-tests", Guid.NewGuid().ToString("N") + ".yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(plan)!);
        var yaml = await File.ReadAllTextAsync(Ship.RepoFiles.PathOf("samples/intune-rollout.yaml"), Ct);
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);
        await File.WriteAllTextAsync(plan, yaml, Ct);
        await using var h = await DeliveryBot.StartAsync(new() { ["Rollout:PlanPath"] = plan });
        var source = h.Services.GetRequiredService<DeliveryPlanSource>();
        var delivery = await source.CurrentAsync(Ct);
        Assert.NotNull(delivery);
        var send = delivery.Sends.First(s => s.WaveId == "it" && s.MessageId == "enrollment" && s.Audience == SendAudience.Members);
        var content = h.Services.GetRequiredService<DeliveryContent>();

        var nl = content.RenderTeams(send, "nl").Attachments![0].Content!.ToJsonString();
        var en = content.RenderTeams(send, "en").Attachments![0].Content!.ToJsonString();
        Assert.NotEqual(nl, en);
        Assert.Contains("AdaptiveCard", nl, StringComparison.Ordinal);
        Assert.DoesNotContain("Uitrolbericht: ", nl, StringComparison.Ordinal); // not the placeholder

        var status = content.RenderStatus(new WaveProgress("it", "enrollment", 260, 100, 3, 0, 157, null), 2.5, TimeSpan.FromMinutes(1), start, "en");
        var card = status!.Attachments![0].Content!.ToJsonString();
        Assert.Contains("157", card, StringComparison.Ordinal);
        Assert.Contains("260", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Survey_response_rates_count_the_people_the_survey_was_delivered_to()
    {
        await using var h = await DeliveryBot.StartAsync(new() { ["Rollout:PlanPath"] = Ship.RepoFiles.PathOf("samples/intune-rollout.yaml") });
        var audience = h.Services.GetRequiredService<TeamsRolloutBot.Feedback.ISurveyAudience>();
        var before = await audience.GetRecipientsAsync("it", "it", Ct);
        Assert.Equal((260, TeamsRolloutBot.Feedback.SurveyRecipientSource.PlanExpectedSize), (before.Count!.Value, before.Source));

        var send = new PlannedSend("it/post-enrollment/it/members", "it", "post-enrollment", "it", SendAudience.Members, DateTimeOffset.UtcNow, "survey");
        var jobs = Enumerable.Range(1, 3).Select(i => DeliveryScheduler.Job(send, DeliveryKind.Personal, DeliveryBot.User(i), "nl")).ToList();
        await h.Store.EnqueueAsync(jobs, Ct);
        await h.Store.CompleteAsync(jobs[0].Key, new DeliveryResult(DeliveryOutcome.Delivered), Ct);
        await h.Store.CompleteAsync(jobs[1].Key, new DeliveryResult(DeliveryOutcome.Delivered), Ct);
        await h.Store.CompleteAsync(jobs[2].Key, new DeliveryResult(DeliveryOutcome.BotBlocked), Ct);

        var after = await audience.GetRecipientsAsync("it", "it", Ct);
        Assert.Equal(TeamsRolloutBot.Feedback.SurveyRecipientSource.Delivered, after.Source);
        Assert.Equal([DeliveryBot.User(1), DeliveryBot.User(2)], after.UserIds);
    }

    [Fact]
    public async Task Demo_time_in_local_Playground_mode_plays_the_sample_plans_IT_wave_in_minutes_and_is_ignored_elsewhere()
    {
        var sample = Ship.RepoFiles.PathOf("samples/intune-rollout.yaml");
        var settings = new Dictionary<string, string?> { ["Rollout:PlanPath"] = sample, ["Rollout:DemoTimeScale"] = "10080" };
        await using (var local = await DeliveryBot.StartAsync(settings, local: true))
        {
            var before = DateTimeOffset.UtcNow;
            var plan = await local.Services.GetRequiredService<DeliveryPlanSource>().CurrentAsync(Ct);
            var it = plan!.Sends.Where(s => s.WaveId == "it").Select(s => s.DueUtc).ToList();
            Assert.InRange(plan.Sends.Min(s => s.DueUtc), before.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
            // Four phases over three weeks and a bit: about three and a half minutes.
            Assert.InRange(it.Max() - it.Min(), TimeSpan.FromMinutes(2.9), TimeSpan.FromMinutes(4));
        }
        settings["Bot:LocalPlayground"] = "false";
        await using var production = await DeliveryBot.StartAsync(settings);
        var real = await production.Services.GetRequiredService<DeliveryPlanSource>().CurrentAsync(Ct);
        Assert.Equal(2027, real!.Sends.Min(s => s.DueUtc).Year);
    }

    [Fact]
    public async Task The_lead_gets_one_status_card_updated_in_place_then_a_final_summary()
    {
        await using var h = await DeliveryBot.StartAsync(tenantLimit: 50);
        var users = Enumerable.Range(1, 120).Select(DeliveryBot.User).ToList();
        h.UsePlan(Plan(new DepartmentTarget("hr", "HR", null, null, null, users), DeliveryBot.Send("pre-1", "hr", SendAudience.Members, DateTimeOffset.UtcNow)));
        var progress = h.Services.GetRequiredService<ProgressReporter>();
        await h.Scheduler.RunOnceAsync(Ct);
        await h.Dispatcher.StartAsync(Ct);
        await Task.Delay(500, Ct);
        await progress.RunOnceAsync(Ct);
        await Task.Delay(500, Ct);
        await progress.RunOnceAsync(Ct);
        while (await h.Store.NextDueAsync(Ct) is not null)
        {
            await Task.Delay(100, Ct);
        }
        await h.Dispatcher.StopAsync(Ct);
        await progress.RunOnceAsync(Ct);
        await progress.RunOnceAsync(Ct);

        var lead = FakeTeams.PersonalId(DeliveryBot.Lead);
        Assert.Equal(2, h.Teams.Messages[lead]); // the status card, then the summary message
        Assert.True(h.Teams.Updates[lead] >= 2);
        Assert.Contains("120 delivered", h.Teams.LastBody[lead], StringComparison.Ordinal);
        var card = await h.Store.FindProgressCardAsync("wave-1", "pre-1", DeliveryBot.Lead, Ct);
        Assert.True(card!.Final);
    }
}
