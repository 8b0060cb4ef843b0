using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Tests.Delivery;

/// <summary>
/// Editing a running plan file (docs/plan-format.md "Editing a running plan"): a queued send whose message, wave or
/// department left the plan is cancelled, never sent and never a placeholder, and the leads get one message with the
/// counts; an edit in the middle of a fan-out does not split its recipients; an edit before a send goes out.
/// </summary>
public sealed class PlanEditTests
{
    private const string EnglishLead = "00000000-0000-4000-8000-0000000000e1";
    private const string DutchLead = "00000000-0000-4000-8000-0000000000d1";
    private const string EnglishLeadChat = "a:lead-en";
    private const string DutchLeadChat = "a:lead-nl";
    private static readonly string[] Hr = [DeliveryBot.User(1), DeliveryBot.User(2), DeliveryBot.User(3)];
    private static readonly string[] Finance = [DeliveryBot.User(4), DeliveryBot.User(5)];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// The test plan: wave-1 (hr and, unless left out, finance; or finance in its own wave-2), message pre-1 due a few
    /// minutes ago to the members (title <paramref name="title"/>), pre-2 a week later; <paramref name="withPre1"/> false
    /// leaves pre-1 out, <paramref name="withWave2"/> false leaves wave-2 out.
    /// </summary>
    private static string PlanYaml(string title = "Coming soon v1", bool withPre1 = true, bool withFinance = true, bool financeOwnWave = false, bool withWave2 = true)
    {
        var amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        var due = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddMinutes(-5), amsterdam);
        var start = due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var time = due.ToString("HH:mm", CultureInfo.InvariantCulture);
        var finance = withFinance ? $$"""
              - id: finance
                name: { en: Finance, nl: Financiën }
                team: "19:fin-team@thread.tacv2"
                channel: "19:fin-rollout@thread.tacv2"
                members: { users: [{{string.Join(", ", Finance)}}] }

            """ : "";
        var waveDepartments = withFinance && !financeOwnWave ? "[hr, finance]" : "[hr]";
        var wave2 = withFinance && financeOwnWave && withWave2 ? $$"""
              - id: wave-2
                name: { en: Wave 2, nl: Golf 2 }
                departments: [finance]
                start: {{start}}

            """ : "";
        var pre1 = withPre1 ? $$"""
              - id: pre-1
                phase: pre-enrollment
                offset: 0d
                time: "{{time}}"
                audience: members
                template: pre-enrollment
                texts:
                  title: { en: "{{title}}", nl: "{{title}} (nl)" }

            """ : "";
        return $$"""
            rollout: Plan edit test
            timeZone: Europe/Amsterdam
            defaultLanguage: en
            languages: [en, nl]
            weekendSends: keep
            leads: { users: [{{EnglishLead}}, {{DutchLead}}] }
            contact: { name: Servicedesk, email: servicedesk@contoso.example }
            departments:
              - id: hr
                name: { en: HR, nl: Personeelszaken }
                team: "19:hr-team@thread.tacv2"
                channel: "19:hr-rollout@thread.tacv2"
                members: { users: [{{string.Join(", ", Hr)}}] }
            {{finance}}waves:
              - id: wave-1
                name: { en: Wave 1, nl: Golf 1 }
                departments: {{waveDepartments}}
                start: {{start}}
            {{wave2}}messages:
            {{pre1}}  - id: pre-2
                phase: pre-enrollment
                offset: 7d
                time: "{{time}}"
                audience: members
                template: pre-enrollment
                texts:
                  title: { en: Next week, nl: Volgende week }
            """;
    }

    private static string NewPlanFile(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), "trb-tests", Guid.NewGuid().ToString("N"), "plan.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>A bot on the plan file, with an English and a Dutch lead whose 1:1 chats the bot knows.</summary>
    private static async Task<TestBot> StartAsync(string planPath, string? database = null)
    {
        var settings = new Dictionary<string, string?> { ["Rollout:PlanPath"] = planPath };
        if (database is not null)
        {
            settings["Storage:SqlitePath"] = database;
        }
        var bot = await DeliveryBot.StartAsync(settings);
        Assert.Empty(bot.Services.GetRequiredService<PlanProvider>().LastErrors);
        Assert.NotNull(bot.Services.GetRequiredService<PlanProvider>().Current);
        foreach (var (lead, chat, locale) in new[] { (EnglishLead, EnglishLeadChat, "en-US"), (DutchLead, DutchLeadChat, "nl-NL") })
        {
            await bot.Store.SaveConversationAsync(new ConversationReference("msteams", bot.Teams.ServiceUrl, chat, "personal", DeliveryBot.Tenant,
                "28:bot", "29:" + chat, lead, null, null, null, locale), Ct);
        }
        return bot;
    }

    private static async Task EditPlanAsync(TestBot bot, string yaml)
    {
        await File.WriteAllTextAsync(bot.PlanPath!, yaml, Ct);
        var result = await bot.Services.GetRequiredService<PlanProvider>().ReloadAsync(Ct);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
    }

    /// <summary>Waits (bounded) until the lead's chat has <paramref name="count"/> messages; the reload reports in the background.</summary>
    private static async Task WaitForLeadMessagesAsync(TestBot bot, string chat, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (bot.Teams.Messages.GetValueOrDefault(chat) < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }
    }

    private static string CardTo(TestBot bot, string user) => bot.Teams.LastBody[FakeTeams.PersonalId(user)];

    private static async Task AssertRemovedAsync(TestBot bot, string user)
    {
        Assert.Equal(0, bot.Teams.MessagesTo(user));
        var job = Assert.Single(await bot.Store.GetDeliveryLogAsync(user, Ct), j => j.MessageId == "pre-1");
        Assert.Equal((JobState.Skipped, DeliveryOutcome.Skipped, "removed from the plan"), (job.State, job.Outcome, job.Detail));
    }

    [Fact]
    public async Task A_message_removed_while_queued_is_not_sent_its_jobs_are_cancelled_and_each_lead_is_told_once_in_their_language()
    {
        await using var bot = await StartAsync(NewPlanFile(PlanYaml()));
        await bot.Scheduler.RunOnceAsync(Ct);
        Assert.Equal(3, (await bot.Store.FindSendAsync("wave-1/pre-1/hr/members", Ct))!.JobCount);

        await EditPlanAsync(bot, PlanYaml(withPre1: false));
        await WaitForLeadMessagesAsync(bot, EnglishLeadChat, 1);
        await WaitForLeadMessagesAsync(bot, DutchLeadChat, 1);
        await bot.DeliverAsync();
        await bot.Scheduler.RunOnceAsync(Ct);

        foreach (var user in Hr.Concat(Finance))
        {
            await AssertRemovedAsync(bot, user);
        }
        var send = (await bot.Store.FindSendAsync("wave-1/pre-1/finance/members", Ct))!;
        Assert.Equal((PlannedSendState.Cancelled, "removed from the plan"), (send.State, send.Detail));
        Assert.Equal(PlannedSendState.Pending, (await bot.Store.FindSendAsync("wave-1/pre-2/hr/members", Ct))!.State);

        // One message per lead, not one per job, and not again on the next passes.
        Assert.Equal(1, bot.Teams.Messages[EnglishLeadChat]);
        Assert.Equal(1, bot.Teams.Messages[DutchLeadChat]);
        var english = bot.Teams.LastBody[EnglishLeadChat];
        Assert.Contains("Removed from the plan: 2 planned send(s) cancelled, 5 queued recipient(s) not sent", english, StringComparison.Ordinal);
        Assert.Contains("Messages: pre-1 (wave-1).", english, StringComparison.Ordinal);
        Assert.Contains("Departments: finance, hr.", english, StringComparison.Ordinal);
        var dutch = bot.Teams.LastBody[DutchLeadChat];
        Assert.Contains("Verwijderd uit het plan: 2 geplande verzending(en) geannuleerd, 5 ontvanger(s)", dutch, StringComparison.Ordinal);
        Assert.Contains("Afdelingen: finance, hr.", dutch, StringComparison.Ordinal);

        var audit = await bot.Services.GetRequiredService<IAuditLog>().LatestAsync(20, Ct);
        var entry = Assert.Single(audit, a => a.Command == RemovedSendCanceller.AuditCommand);
        Assert.Contains("2 send(s), 5 queued job(s) skipped", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_department_removed_while_queued_gets_nothing_and_the_other_department_gets_the_message()
    {
        await using var bot = await StartAsync(NewPlanFile(PlanYaml()));
        await bot.Scheduler.RunOnceAsync(Ct);

        await EditPlanAsync(bot, PlanYaml(withFinance: false));
        await WaitForLeadMessagesAsync(bot, EnglishLeadChat, 1);
        await bot.DeliverAsync();

        Assert.All(Hr, u => Assert.Equal(1, bot.Teams.MessagesTo(u)));
        Assert.All(Hr, u => Assert.Contains("Coming soon v1", CardTo(bot, u), StringComparison.Ordinal));
        foreach (var user in Finance)
        {
            await AssertRemovedAsync(bot, user);
        }
        // The finance sends of pre-1 (queued) and pre-2 (not due yet) are cancelled; hr's pre-2 stays planned.
        Assert.Equal(PlannedSendState.Cancelled, (await bot.Store.FindSendAsync("wave-1/pre-2/finance/members", Ct))!.State);
        Assert.Equal(PlannedSendState.Pending, (await bot.Store.FindSendAsync("wave-1/pre-2/hr/members", Ct))!.State);
        Assert.Equal(1, bot.Teams.Messages[EnglishLeadChat]);
        var english = bot.Teams.LastBody[EnglishLeadChat];
        Assert.Contains("2 planned send(s) cancelled, 2 queued recipient(s) not sent", english, StringComparison.Ordinal);
        Assert.Contains("Messages: pre-1 (wave-1), pre-2 (wave-1). Departments: finance.", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wave_removed_while_queued_gets_nothing()
    {
        await using var bot = await StartAsync(NewPlanFile(PlanYaml(financeOwnWave: true)));
        await bot.Scheduler.RunOnceAsync(Ct);
        Assert.Equal(2, (await bot.Store.FindSendAsync("wave-2/pre-1/finance/members", Ct))!.JobCount);

        // wave-2 is gone; finance stays a department of the plan, in no wave.
        await EditPlanAsync(bot, PlanYaml(financeOwnWave: true, withWave2: false));
        await WaitForLeadMessagesAsync(bot, EnglishLeadChat, 1);
        await bot.DeliverAsync();

        Assert.All(Hr, u => Assert.Equal(1, bot.Teams.MessagesTo(u)));
        Assert.All(Finance, u => Assert.Equal(0, bot.Teams.MessagesTo(u)));
        var job = Assert.Single(await bot.Store.GetDeliveryLogAsync(Finance[0], Ct), j => j.WaveId == "wave-2");
        Assert.Equal((JobState.Skipped, "removed from the plan"), (job.State, job.Detail));
        Assert.Contains("Messages: pre-1 (wave-2), pre-2 (wave-2). Departments: finance.", bot.Teams.LastBody[EnglishLeadChat], StringComparison.Ordinal);
        Assert.Equal(1, bot.Teams.Messages[EnglishLeadChat]);
    }

    [Fact]
    public async Task A_message_edited_in_the_middle_of_its_fan_out_reaches_every_recipient_with_the_content_it_started_with()
    {
        await using var bot = await StartAsync(NewPlanFile(PlanYaml(withFinance: false)));
        await bot.Scheduler.RunOnceAsync(Ct);
        // The first recipient is sent through the real sender before the edit.
        var first = Assert.Single(await bot.Store.LeaseAsync("test", 1, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), Ct));
        var step = await bot.Services.GetRequiredService<DeliverySender>().SendAsync(first, Ct);
        await bot.Store.RecordAsync([new JobUpdate(first.Job.Key, step.Result)], Ct);
        Assert.Equal(DeliveryOutcome.Delivered, step.Result.Outcome);

        await EditPlanAsync(bot, PlanYaml(title: "Coming soon v2", withFinance: false));
        await bot.DeliverAsync();

        Assert.All(Hr, u => Assert.Equal(1, bot.Teams.MessagesTo(u)));
        Assert.All(Hr, u => Assert.Contains("Coming soon v1", CardTo(bot, u), StringComparison.Ordinal));
        Assert.All(Hr, u => Assert.DoesNotContain("Coming soon v2", CardTo(bot, u), StringComparison.Ordinal));
        // Nothing was removed, so no removal notice; the lead hears once that sent cards now differ from the plan
        // (docs/plan-format.md, "Correcting sent cards"), and may update them.
        await WaitForLeadMessagesAsync(bot, EnglishLeadChat, 1);
        Assert.Equal(1, bot.Teams.Messages[EnglishLeadChat]);
        Assert.Contains("Sent cards differ from the plan", bot.Teams.LastBody[EnglishLeadChat], StringComparison.Ordinal);
        Assert.DoesNotContain("removed from the plan", bot.Teams.LastBody[EnglishLeadChat], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_edited_while_queued_but_before_its_first_send_goes_out_with_the_new_content()
    {
        await using var bot = await StartAsync(NewPlanFile(PlanYaml(withFinance: false)));
        await bot.Scheduler.RunOnceAsync(Ct);

        await EditPlanAsync(bot, PlanYaml(title: "Coming soon v2", withFinance: false));
        await bot.DeliverAsync();

        Assert.All(Hr, u => Assert.Equal(1, bot.Teams.MessagesTo(u)));
        Assert.All(Hr, u => Assert.Contains("Coming soon v2", CardTo(bot, u), StringComparison.Ordinal));
        Assert.All(Hr, u => Assert.DoesNotContain("Coming soon v1", CardTo(bot, u), StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_a_restart_on_a_plan_that_lost_the_message_the_queued_jobs_are_cancelled_not_sent()
    {
        var plan = NewPlanFile(PlanYaml());
        string database;
        await using (var before = await StartAsync(plan))
        {
            await before.Scheduler.RunOnceAsync(Ct);
            Assert.Equal(3, (await before.Store.FindSendAsync("wave-1/pre-1/hr/members", Ct))!.JobCount);
            database = before.DatabasePath;
        }
        // Edited while the bot was down.
        await File.WriteAllTextAsync(plan, PlanYaml(withPre1: false), Ct);

        await using var after = await StartAsync(plan, database);
        await after.DeliverAsync();
        await after.DeliverAsync();

        foreach (var user in Hr.Concat(Finance))
        {
            await AssertRemovedAsync(after, user);
        }
        Assert.Equal(1, after.Teams.Messages[EnglishLeadChat]);
        Assert.Contains("2 planned send(s) cancelled, 5 queued recipient(s) not sent", after.Teams.LastBody[EnglishLeadChat], StringComparison.Ordinal);
        Assert.Equal(1, after.Teams.Messages[DutchLeadChat]);
    }

    [Fact]
    public async Task After_a_restart_following_a_removal_nothing_is_sent_and_the_leads_are_not_told_again()
    {
        var plan = NewPlanFile(PlanYaml());
        string database;
        await using (var before = await StartAsync(plan))
        {
            await before.Scheduler.RunOnceAsync(Ct);
            await EditPlanAsync(before, PlanYaml(withPre1: false));
            await WaitForLeadMessagesAsync(before, EnglishLeadChat, 1);
            await before.Scheduler.RunOnceAsync(Ct);
            Assert.Equal(1, before.Teams.Messages[EnglishLeadChat]);
            database = before.DatabasePath;
        }

        await using var after = await StartAsync(plan, database);
        await after.DeliverAsync();

        foreach (var user in Hr.Concat(Finance))
        {
            await AssertRemovedAsync(after, user);
        }
        Assert.Equal(0, after.Teams.Messages.GetValueOrDefault(EnglishLeadChat));
    }
}
