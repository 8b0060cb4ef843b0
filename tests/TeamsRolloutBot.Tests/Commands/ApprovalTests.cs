using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Tests.Commands;

/// <summary>
/// <c>approval: required</c> through the real pipeline on a fake clock: the card ahead of the first send, nothing sent
/// while unapproved, reminders once at the due time and daily after, approval by button or command (en/nl), refusal for
/// non-leads, waves without approval unaffected, and the approval kept across a restart.
/// </summary>
public sealed class ApprovalTests
{
    private const string Lead = "00000000-0000-0000-0000-0000000000a1";
    private const string NonLead = "00000000-0000-0000-0000-0000000000b1";
    private static readonly string[] Members = ["00000000-0000-0000-0000-0000000000c1", "00000000-0000-0000-0000-0000000000c2", "00000000-0000-0000-0000-0000000000c3"];
    private static readonly string[] OtherMembers = ["00000000-0000-0000-0000-0000000000d1", "00000000-0000-0000-0000-0000000000d2"];
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// The test plan: wave <c>pilot</c> (small, approval from the plan) starts three days from now at 09:00 local;
    /// <c>main</c> (other) starts the same day and says <c>approval: none</c>; <c>later</c> (small) a week after.
    /// </summary>
    private static (string Yaml, DateTimeOffset Due) PlanOf(DateTimeOffset now, string planApproval = "approval: required")
    {
        var start = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Zone).DateTime).AddDays(3);
        var due = new DateTimeOffset(start.ToDateTime(new TimeOnly(9, 0)), Zone.GetUtcOffset(start.ToDateTime(new TimeOnly(9, 0)))).ToUniversalTime();
        string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var yaml = $$"""
            rollout: Approval test rollout
            timeZone: Europe/Amsterdam
            defaultLanguage: en
            languages: [nl, en]
            weekendSends: keep
            {{planApproval}}
            leads: { users: [{{Lead}}] }
            departments:
              - id: small
                name: { nl: Klein, en: Small }
                team: "19:small-team@thread.tacv2"
                channel: "19:small@thread.tacv2"
                members: { users: [{{string.Join(", ", Members)}}] }
              - id: other
                name: { nl: Ander, en: Other }
                team: "19:other-team@thread.tacv2"
                channel: "19:other@thread.tacv2"
                members: { users: [{{string.Join(", ", OtherMembers)}}] }
            waves:
              - { id: pilot, name: { nl: Proefgolf, en: Pilot wave }, departments: [small], start: {{Day(start)}}, duration: 7d }
              - { id: main, name: { nl: Hoofdgolf, en: Main wave }, departments: [other], start: {{Day(start)}}, approval: none }
              - { id: later, name: { nl: Later, en: Later }, departments: [small], start: {{Day(start.AddDays(7))}}, approvalAhead: 2d }
            messages:
              - id: enroll
                phase: enrollment
                offset: 0d
                time: "09:00"
                audience: members
                template: enrollment
                parameters:
                  platforms: [windows, ios]
            """;
        return (yaml, due);
    }

    private sealed class Harness(TestBot bot, FakeTimeProvider clock, FakeGraph graph, DateTimeOffset due) : IAsyncDisposable
    {
        public TestBot Bot { get; } = bot;
        public FakeTimeProvider Clock { get; } = clock;
        public FakeGraph Graph { get; } = graph;
        public DateTimeOffset Due { get; } = due;

        public IAuditLog Audit => Bot.Services.GetRequiredService<IAuditLog>();

        /// <summary>
        /// Runs <paramref name="work"/> while the fake clock ticks forward in small steps: the pacers space sends on the
        /// bot's clock, so a frozen clock would hold the second send of a pass for ever.
        /// </summary>
        public async Task<T> TickingAsync<T>(Func<Task<T>> work)
        {
            var task = work();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!task.IsCompleted && DateTime.UtcNow < deadline)
            {
                Clock.Advance(TimeSpan.FromMilliseconds(200));
                await Task.WhenAny(task, Task.Delay(10, Ct));
            }
            return await task;
        }

        public Task<DateTimeOffset?> PassAsync() => TickingAsync(() => Bot.Services.GetRequiredService<DeliveryScheduler>().RunOnceAsync(Ct));

        /// <summary>A scheduler pass, then the dispatcher until the outbox is empty, on the ticking clock. Once per bot: a stopped dispatcher does not record again.</summary>
        public Task<int> DeliverAsync() => TickingAsync(async () =>
        {
            await Bot.DeliverAsync(TimeSpan.FromSeconds(20));
            return 0;
        });

        public int Sent(IEnumerable<string> users) => users.Sum(Bot.Teams.MessagesTo);

        /// <summary>Posts an activity as <paramref name="user"/> with a token valid at the fake clock's time.</summary>
        public async Task<TestResponse> PostAsync(JsonObject activity)
        {
            var now = Clock.GetUtcNow().UtcDateTime;
            var token = Bot.OpenId.CreateToken(TestBot.AppId, Bot.ServiceUrl, notBefore: now.AddMinutes(-1), expires: now.AddMinutes(30));
            return await Bot.PostAsync(activity, "Bearer " + token);
        }

        public JsonObject Personal(string text, string user, string locale = "en-US")
        {
            var activity = TestActivities.PersonalMessage(Bot.ServiceUrl, text, locale);
            activity["from"] = CommandsHarness.From(user);
            activity["conversation"]!["id"] = "a:personal-" + user;
            return activity;
        }

        /// <summary>Says <paramref name="text"/> and returns the bot's one reply.</summary>
        public async Task<Reply> AskAsync(string text, string user = Lead, string locale = "en-US")
        {
            var before = Bot.Teams.Calls.Count;
            Assert.Equal(200, (await PostAsync(Personal(text, user, locale))).Status);
            return new Reply(Assert.Single(Bot.CallsSince(before)));
        }

        /// <summary>Says <paramref name="text"/> and returns the bot's reply, the last of its posts (a decision also updates the approval cards).</summary>
        public async Task<Reply> AskLastAsync(string text, string user = Lead, string locale = "en-US")
        {
            var before = Bot.Teams.Calls.Count;
            Assert.Equal(200, (await PostAsync(Personal(text, user, locale))).Status);
            return new Reply(Bot.CallsSince(before).Last(c => c.Method == "POST"));
        }

        public async Task<TestResponse> ClickAsync(string verb, string waveId, string user = Lead)
        {
            var activity = Personal("", user);
            activity["type"] = "invoke";
            activity["name"] = "adaptiveCard/action";
            activity.Remove("text");
            activity["replyToId"] = "approval-card";
            activity["value"] = new JsonObject
            {
                ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = new JsonObject { ["waveId"] = waveId } },
                ["trigger"] = "manual",
            };
            return await PostAsync(activity);
        }

        /// <summary>What the bot posted on its own (not as a reply) to the lead's 1:1 chat after call <paramref name="before"/>.</summary>
        public List<ConnectorCall> ToLead(int before) =>
            [.. Bot.CallsSince(before).Where(c => c.Method == "POST" && c.Path.Contains(Lead, StringComparison.Ordinal)
                && c.Path.EndsWith("/activities", StringComparison.Ordinal))];

        public async Task<int> AuditCountAsync(string command, string result) =>
            (await Audit.LatestAsync(200, Ct)).Count(e => e.Command == command && e.Result == result);

        public async ValueTask DisposeAsync()
        {
            await Bot.DisposeAsync();
            await Graph.DisposeAsync();
        }
    }

    private static async Task<Harness> StartAsync(string? databasePath = null, FakeTimeProvider? clock = null, string planApproval = "approval: required",
        Dictionary<string, string>? settings = null)
    {
        clock ??= new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (yaml, due) = PlanOf(clock.GetUtcNow(), planApproval);
        var graph = await FakeGraph.StartAsync();
        var builder = TestBot.Create().WithPlan(yaml).WithGraph(graph.BaseUrl).WithManualDelivery().WithClock(clock)
            .WithSetting("Delivery:PollInterval", "00:00:00.050");
        foreach (var (key, value) in settings ?? [])
        {
            builder.WithSetting(key, value);
        }
        if (databasePath is not null)
        {
            builder.WithSqlite(databasePath);
        }
        return new Harness(await builder.StartAsync(), clock, graph, due);
    }

    [Fact]
    public async Task The_card_goes_out_ahead_nothing_is_sent_unapproved_leads_are_reminded_daily_and_Approve_releases_the_wave()
    {
        await using var h = await StartAsync();
        var store = h.Bot.Services.GetRequiredService<IDeliveryStore>();

        // 25 hours ahead: no card yet.
        h.Clock.SetUtcNow(h.Due - TimeSpan.FromHours(25));
        var before = h.Bot.Teams.Calls.Count;
        await h.PassAsync();
        Assert.Empty(h.ToLead(before));

        // 23 hours ahead (inside the default 24 h): one card, with the preview, the count and the schedule.
        h.Clock.SetUtcNow(h.Due - TimeSpan.FromHours(23));
        await h.PassAsync();
        await h.PassAsync();
        var card = new Reply(Assert.Single(h.ToLead(before)));
        Assert.Contains("Approval needed: wave Pilot wave", card.Text, StringComparison.Ordinal);
        Assert.Contains("People: exactly 3", card.Text, StringComparison.Ordinal);
        var local = TimeZoneInfo.ConvertTime(h.Due, Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        Assert.Contains("First send: " + local, card.Text, StringComparison.Ordinal);
        Assert.Contains("`enroll` " + local, card.Text, StringComparison.Ordinal);
        Assert.Contains("First message, as the first department gets it", card.Text, StringComparison.Ordinal);
        Assert.Equal(["approval.approve", "approval.hold"], card.Actions.Select(a => a["verb"]!.GetValue<string>()));
        Assert.All(card.Actions, a => Assert.Equal("none", a["associatedInputs"]!.GetValue<string>()));
        var schema = Cards.AdaptiveCardSchema.Schema.Evaluate(JsonDocument.Parse(card.Card!.ToJsonString()).RootElement,
            new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        Assert.True(schema.IsValid, string.Join("\n", (schema.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Take(10).Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Values)}")));
        Assert.Equal(1, await h.AuditCountAsync("approval pilot", AuditResults.ApprovalCardSent));
        Assert.Equal(0, h.Sent(Members));

        // At the due time: nothing is sent or queued, the send is not missed, and the lead is reminded once.
        h.Clock.SetUtcNow(h.Due + TimeSpan.FromMinutes(1));
        var atDue = h.Bot.Teams.Calls.Count;
        await h.PassAsync();
        h.Clock.Advance(TimeSpan.FromHours(1));
        await h.PassAsync();
        Assert.Equal(0, h.Sent(Members));
        Assert.Equal(PlannedSendState.Pending, (await store.FindSendAsync("pilot/enroll/small/members", Ct))!.State);
        var reminder = Assert.Single(h.ToLead(atDue));
        Assert.Contains("Wave **Pilot wave** is waiting for approval", reminder.Json!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        // The wave without approval went ahead on time (its jobs are in the outbox; the test's dispatcher runs once, below).
        Assert.Equal(PlannedSendState.Expanded, (await store.FindSendAsync("main/enroll/other/members", Ct))!.State);

        // A day later: the second reminder; still nothing sent.
        h.Clock.Advance(TimeSpan.FromHours(24));
        await h.PassAsync();
        Assert.Equal(2, h.ToLead(atDue).Count);
        Assert.Equal(2, await h.AuditCountAsync("approval pilot", AuditResults.ApprovalReminderSent));

        // A member cannot approve: refused and audited, still nothing sent.
        Assert.Equal(200, (await h.ClickAsync("approval.approve", "pilot", NonLead)).Status);
        Assert.Equal(1, await h.AuditCountAsync("approve pilot", AuditResults.Refused));
        await h.PassAsync();
        Assert.Equal(0, h.Sent(Members));

        // The lead clicks Approve: the card shows who approved, the card sent ahead is updated, and the sends go out (late).
        var beforeClick = h.Bot.Teams.Calls.Count;
        var click = await h.ClickAsync("approval.approve", "pilot");
        Assert.Equal(200, click.Status);
        var shown = Reply.Visible(click.Body!["value"]!);
        Assert.Contains("Approved by Lotte Lead on", shown, StringComparison.Ordinal);
        Assert.Empty(Reply.AllActions(click.Body!["value"]!));
        var update = Assert.Single(h.Bot.CallsSince(beforeClick), c => c.Method == "PUT");
        Assert.Contains("Approved by Lotte Lead", Reply.Visible(update.Json!["attachments"]![0]!["content"]!), StringComparison.Ordinal);
        Assert.Equal(1, await h.AuditCountAsync("approve pilot", AuditResults.Approved));

        await h.DeliverAsync();
        Assert.All(Members.Concat(OtherMembers), m => Assert.Equal(1, h.Bot.Teams.MessagesTo(m)));
        // No more reminders once approved.
        var afterApproval = h.Bot.Teams.Calls.Count;
        h.Clock.Advance(TimeSpan.FromDays(1));
        await h.PassAsync();
        Assert.Empty(h.ToLead(afterApproval));
    }

    [Fact]
    public async Task An_approval_card_no_lead_could_be_reached_with_goes_out_at_a_later_pass()
    {
        await using var h = await StartAsync();
        h.Clock.SetUtcNow(h.Due - TimeSpan.FromHours(23));
        // The lead's chat cannot be reached at the first pass (here: blocked, as a chat not yet known is): no card.
        h.Bot.Teams.Blocked[Lead] = true;
        await h.PassAsync();
        Assert.Equal(0, h.Bot.Teams.MessagesTo(Lead));
        Assert.Equal(0, await h.AuditCountAsync("approval pilot", AuditResults.ApprovalCardSent));

        // Reachable again: the next pass sends the card, once.
        h.Bot.Teams.Blocked.Clear();
        await h.PassAsync();
        await h.PassAsync();
        Assert.Equal(1, h.Bot.Teams.MessagesTo(Lead));
        Assert.Equal(1, await h.AuditCountAsync("approval pilot", AuditResults.ApprovalCardSent));
    }

    [Fact]
    public async Task Leads_approve_by_command_in_English_and_Dutch_and_the_approval_survives_a_restart()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        string database;
        await using (var h = await StartAsync(clock: clock))
        {
            database = h.Bot.DatabasePath;
            var refused = await h.AskAsync("approve pilot", NonLead);
            Assert.DoesNotContain("approved", refused.Text, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(1, await h.AuditCountAsync("approve pilot", AuditResults.Refused));

            var english = await h.AskAsync("approve pilot");
            Assert.Contains("Wave **Pilot wave** is approved", english.Text, StringComparison.Ordinal);
            var dutch = await h.AskAsync("goedkeuren later", locale: "nl-NL");
            Assert.Contains("Golf **Later** is goedgekeurd", dutch.Text, StringComparison.Ordinal);
            var again = await h.AskAsync("approve pilot");
            Assert.Contains("was already approved by Lotte Lead", again.Text, StringComparison.Ordinal);
            var none = await h.AskAsync("approve main");
            Assert.Contains("needs no approval", none.Text, StringComparison.Ordinal);
        }

        // A new process on the same file: the approvals hold, the wave sends at its time without a card or reminder.
        await using var restarted = await StartAsync(database, clock);
        var before = restarted.Bot.Teams.Calls.Count;
        restarted.Clock.SetUtcNow(restarted.Due + TimeSpan.FromMinutes(1));
        await restarted.DeliverAsync();
        Assert.All(Members, m => Assert.Equal(1, restarted.Bot.Teams.MessagesTo(m)));
        Assert.Empty(restarted.ToLead(before));
    }

    [Fact]
    public async Task An_edit_of_the_first_message_before_it_is_sent_makes_the_approval_lapse_and_sends_a_new_card()
    {
        await using var h = await StartAsync();
        Assert.Contains("is approved", (await h.AskAsync("approve pilot")).Text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(h.Bot.PlanPath!, (await File.ReadAllTextAsync(h.Bot.PlanPath!, Ct)).Replace("platforms: [windows, ios]", "platforms: [windows]", StringComparison.Ordinal), Ct);
        Assert.Contains("loaded", (await h.AskAsync("plan reload")).Text, StringComparison.Ordinal);

        var before = h.Bot.Teams.Calls.Count;
        h.Clock.SetUtcNow(h.Due - TimeSpan.FromHours(1));
        await h.PassAsync();
        Assert.Contains("Approval needed: wave Pilot wave", new Reply(Assert.Single(h.ToLead(before))).Text, StringComparison.Ordinal);
        Assert.Equal(1, await h.AuditCountAsync("approval pilot", AuditResults.ApprovalReset));
        h.Clock.SetUtcNow(h.Due + TimeSpan.FromMinutes(1));
        await h.PassAsync();
        Assert.Equal(PlannedSendState.Pending, (await h.Bot.Services.GetRequiredService<IDeliveryStore>().FindSendAsync("pilot/enroll/small/members", Ct))!.State);
    }

    [Fact]
    public async Task A_plan_without_approval_sends_on_time_without_cards()
    {
        await using var h = await StartAsync(planApproval: "approval: none");
        var before = h.Bot.Teams.Calls.Count;
        h.Clock.SetUtcNow(h.Due + TimeSpan.FromMinutes(1));
        await h.DeliverAsync();
        // later (approval: none from the plan) is not due yet; pilot and main went out, no lead heard of approval.
        Assert.All(Members.Concat(OtherMembers), m => Assert.Equal(1, h.Bot.Teams.MessagesTo(m)));
        Assert.Empty(h.ToLead(before));
    }

    [Fact]
    public async Task Status_shows_where_the_approval_stands_and_hold_works_by_command_in_English_and_Dutch()
    {
        await using var h = await StartAsync();

        // Before the card: the wave waits, the card is not out yet; the wave without approval says nothing of it.
        var first = await h.AskAsync("status pilot");
        Assert.Contains("waits for approval (card not sent yet)", first.Text, StringComparison.Ordinal);
        var overview = await h.AskAsync("status");
        Assert.Contains("waits for approval (card not sent yet)", overview.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("approv", (await h.AskAsync("status main")).Text, StringComparison.OrdinalIgnoreCase);

        // The card went out: status says when.
        h.Clock.SetUtcNow(h.Due - TimeSpan.FromHours(23));
        await h.PassAsync();
        var sentAt = TimeZoneInfo.ConvertTime(h.Clock.GetUtcNow(), Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        Assert.Contains("waits for approval (card sent " + sentAt, (await h.AskAsync("status pilot")).Text, StringComparison.Ordinal);

        // A member cannot hold: refused and audited.
        Assert.DoesNotContain("on hold", (await h.AskAsync("hold pilot", NonLead)).Text, StringComparison.Ordinal);
        Assert.Equal(1, await h.AuditCountAsync("hold pilot", AuditResults.Refused));

        // A lead holds by command, as the Hold button does: audited, status shows who and when, nothing is sent at the due time.
        Assert.Contains("Wave **Pilot wave** is on hold", (await h.AskLastAsync("hold pilot")).Text, StringComparison.Ordinal);
        Assert.Equal(1, await h.AuditCountAsync("hold pilot", AuditResults.Held));
        Assert.Contains("held by Lotte Lead on", (await h.AskAsync("status pilot")).Text, StringComparison.Ordinal);
        Assert.Contains("held by Lotte Lead on", (await h.AskAsync("status")).Text, StringComparison.Ordinal);
        h.Clock.SetUtcNow(h.Due + TimeSpan.FromMinutes(1));
        await h.PassAsync();
        Assert.Equal(0, h.Sent(Members));

        // Dutch: both word orders hold a wave; status in Dutch.
        Assert.Contains("Golf **Later** is aangehouden", (await h.AskAsync("houd later aan", locale: "nl-NL")).Text, StringComparison.Ordinal);
        Assert.Contains("Golf **Proefgolf** is aangehouden", (await h.AskLastAsync("aanhouden pilot", locale: "nl-NL")).Text, StringComparison.Ordinal);
        Assert.Equal(2, await h.AuditCountAsync("hold pilot", AuditResults.Held));
        Assert.Equal(1, await h.AuditCountAsync("hold later", AuditResults.Held));
        Assert.Contains("aangehouden door Lotte Lead op", (await h.AskAsync("status pilot", locale: "nl-NL")).Text, StringComparison.Ordinal);

        // Approved: status says by whom, in both languages.
        Assert.Contains("is approved", (await h.AskLastAsync("approve pilot")).Text, StringComparison.Ordinal);
        Assert.Contains("approved by Lotte Lead on", (await h.AskAsync("status pilot")).Text, StringComparison.Ordinal);
        Assert.Contains("goedgekeurd door Lotte Lead op", (await h.AskAsync("status", locale: "nl-NL")).Text, StringComparison.Ordinal);

        // The help lists the command.
        Assert.Contains("hold ‹wave›", (await h.AskAsync("help")).Text, StringComparison.Ordinal);
        Assert.Contains("aanhouden ‹golf›", (await h.AskAsync("help", locale: "nl-NL")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shorter_reminder_interval_reminds_accordingly()
    {
        await using var h = await StartAsync(settings: new() { ["Commands:ApprovalReminderInterval"] = "06:00:00" });
        h.Clock.SetUtcNow(h.Due + TimeSpan.FromMinutes(1));
        var atDue = h.Bot.Teams.Calls.Count;
        await h.PassAsync();
        Assert.Single(h.ToLead(atDue), c => c.Json?["text"]?.GetValue<string>().Contains("is waiting for approval", StringComparison.Ordinal) == true);

        // Five hours later: not yet; six hours after the first: the second reminder; three more hours: still two.
        h.Clock.Advance(TimeSpan.FromHours(5));
        await h.PassAsync();
        Assert.Equal(1, await h.AuditCountAsync("approval pilot", AuditResults.ApprovalReminderSent));
        h.Clock.Advance(TimeSpan.FromHours(1));
        await h.PassAsync();
        Assert.Equal(2, await h.AuditCountAsync("approval pilot", AuditResults.ApprovalReminderSent));
        h.Clock.Advance(TimeSpan.FromHours(3));
        await h.PassAsync();
        Assert.Equal(2, await h.AuditCountAsync("approval pilot", AuditResults.ApprovalReminderSent));
        Assert.Equal(2, h.ToLead(atDue).Count(c => c.Json?["text"]?.GetValue<string>().Contains("is waiting for approval", StringComparison.Ordinal) == true));
    }

    [Fact]
    public void A_bad_reminder_interval_fails_start_up_naming_the_key()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Commands:ApprovalReminderInterval"] = "00:00:10" }).Build();
        using var services = new ServiceCollection().AddLeadCommands(configuration).BuildServiceProvider();

        // What the host runs at start (ValidateOnStart).
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate());

        Assert.Contains("Commands:ApprovalReminderInterval must be between 00:05:00 and 14.00:00:00; got 00:00:10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_now_to_a_wave_that_waits_for_approval_goes_out_and_says_it_is_not_approved_in_English_and_Dutch()
    {
        await using var h = await StartAsync();

        var english = await h.AskAsync("send enroll to pilot now");
        Assert.Contains("Sending `enroll`", english.Text, StringComparison.Ordinal);
        Assert.Contains("wave **Pilot wave** is not approved yet (waits for approval (card not sent yet)). This send goes out anyway", english.Text, StringComparison.Ordinal);
        var dutch = await h.AskAsync("verstuur enroll naar small nu", locale: "nl-NL");
        Assert.Contains("golf **Proefgolf** is nog niet goedgekeurd", dutch.Text, StringComparison.Ordinal);
        Assert.Contains("Deze verzending gaat toch uit", dutch.Text, StringComparison.Ordinal);
        // A wave without approval: no such note.
        Assert.DoesNotContain("approved", (await h.AskAsync("send enroll to main now")).Text, StringComparison.Ordinal);

        // The send went out although the wave is not approved; the wave itself still waits.
        await h.DeliverAsync();
        Assert.All(Members, m => Assert.True(h.Bot.Teams.MessagesTo(m) >= 1));
        Assert.Equal(PlannedSendState.Pending, (await h.Bot.Services.GetRequiredService<IDeliveryStore>().FindSendAsync("pilot/enroll/small/members", Ct))!.State);
    }

    [Fact]
    public async Task The_confirmation_of_a_send_now_to_an_unapproved_wave_says_so()
    {
        await using var h = await StartAsync(settings: new() { ["Commands:ConfirmAbove"] = "0" });
        var card = await h.AskAsync("send enroll to pilot now");
        Assert.Contains("Send `enroll` to Pilot wave now? Note: wave **Pilot wave** is not approved yet", card.Text, StringComparison.Ordinal);
        var dutch = await h.AskAsync("verstuur enroll naar pilot nu", locale: "nl-NL");
        Assert.Contains("is nog niet goedgekeurd", dutch.Text, StringComparison.Ordinal);
        Assert.Contains("is approved", (await h.AskAsync("approve pilot")).Text, StringComparison.Ordinal);
        Assert.DoesNotContain("not approved", (await h.AskAsync("send enroll to pilot now")).Text, StringComparison.Ordinal);
    }
}
