using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Tests.Commands;

/// <summary>
/// The commands bot with what the delivery engine recorded for wave <c>autumn</c> (department Small): the channel post and
/// Carla's 1:1 card delivered, Daan blocked the bot, Eva's card failed on a temporary error, and Carla got an e-mail of a
/// message no longer in the plan.
/// </summary>
public sealed class DeliveriesHarness : CommandsHarness, IAsyncLifetime
{
    public const string Carla = "00000000-0000-0000-0000-0000000000c1";
    public const string Daan = "00000000-0000-0000-0000-0000000000c2";
    public const string Eva = "00000000-0000-0000-0000-0000000000c3";

    public new async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Graph.Directory.AddUser(new FakeUser(Carla, "carla@contoso.example", DisplayName: "Carla Kok", UserPrincipalName: "carla@contoso.example"));
        Graph.Directory.AddUser(new FakeUser(Daan, "daan@contoso.example", DisplayName: "Daan de Boer", UserPrincipalName: "daan@contoso.example"));
        Graph.Directory.AddUser(new FakeUser(Eva, "eva@contoso.example", DisplayName: "Eva Jansen", UserPrincipalName: "eva@contoso.example"));
        var ct = TestContext.Current.CancellationToken;
        var store = Services.GetRequiredService<IDeliveryStore>();
        var due = new DateTimeOffset(2027, 9, 6, 7, 30, 0, TimeSpan.Zero);
        var channel = ScheduledSend.MakeKey("autumn", "prepare", "small", SendAudience.Channel);
        var members = ScheduledSend.MakeKey("autumn", "prepare", "small", SendAudience.Members);
        var removed = ScheduledSend.MakeKey("autumn", "old-notice", "small", SendAudience.Email);
        await store.RegisterSendsAsync(
        [
            new PlannedSend(channel, "autumn", "prepare", "small", SendAudience.Channel, due, "pre-enrollment"),
            new PlannedSend(members, "autumn", "prepare", "small", SendAudience.Members, due, "pre-enrollment"),
            new PlannedSend(removed, "autumn", "old-notice", "small", SendAudience.Email, due, "pre-enrollment"),
        ], ct);
        OutboxJob Job(string send, string message, DeliveryKind kind, string target) => new($"{send}|{kind}|{target}", send, "autumn", message, "small", kind, target, "en", due);
        var jobs = new[]
        {
            Job(channel, "prepare", DeliveryKind.Channel, "19:small@thread.tacv2"),
            Job(members, "prepare", DeliveryKind.Personal, Carla),
            Job(members, "prepare", DeliveryKind.Personal, Daan),
            Job(members, "prepare", DeliveryKind.Personal, Eva),
            Job(removed, "old-notice", DeliveryKind.Email, "carla@contoso.example"),
        };
        await store.EnqueueAsync(jobs, ct);
        await store.CompleteAsync(jobs[0].Key, new DeliveryResult(DeliveryOutcome.Delivered), ct);
        await store.CompleteAsync(jobs[1].Key, new DeliveryResult(DeliveryOutcome.Delivered), ct);
        await store.CompleteAsync(jobs[2].Key, new DeliveryResult(DeliveryOutcome.BotBlocked, "ConversationBlockedByUser", 403), ct);
        await store.CompleteAsync(jobs[3].Key, new DeliveryResult(DeliveryOutcome.Transient, "gave up after 6 attempts: ServiceUnavailable", 503), ct);
        await store.CompleteAsync(jobs[4].Key, new DeliveryResult(DeliveryOutcome.Delivered), ct);
    }

    /// <summary>Asserts that the card is valid Adaptive Card 1.5 (the official schema).</summary>
    public static void AssertValid(JsonObject card)
    {
        var result = Cards.AdaptiveCardSchema.Schema.Evaluate(JsonDocument.Parse(card.ToJsonString()).RootElement,
            new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Take(10)
            .Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Values)}")));
    }
}

/// <summary><c>deliveries ‹person|department|wave› [failed]</c>: each recipient and route with outcome and reason, in English and Dutch.</summary>
public sealed class DeliveriesCommandTests(DeliveriesHarness bot) : IClassFixture<DeliveriesHarness>
{
    [Fact]
    public async Task Deliveries_of_a_wave_list_each_recipient_and_route_with_its_outcome_and_reason()
    {
        var reply = await bot.AskAsync("deliveries autumn");

        DeliveriesHarness.AssertValid(reply.Card!);
        Assert.Contains("Deliveries: wave Autumn", reply.Text, StringComparison.Ordinal);
        Assert.Contains("5 recipient(s) and route(s): 3 delivered, 2 failed, 0 waiting, 0 skipped", reply.Text, StringComparison.Ordinal);
        Assert.Contains("**channel of Small** · channel · `prepare` · delivered", reply.Text, StringComparison.Ordinal);
        Assert.Contains("**Carla Kok** · 1:1 chat · `prepare` · delivered", reply.Text, StringComparison.Ordinal);
        Assert.Contains("**Daan de Boer** · 1:1 chat · `prepare` · failed: the person blocked or removed the bot (ConversationBlockedByUser)", reply.Text, StringComparison.Ordinal);
        // A message no longer in the plan still shows: the list comes from the delivery log.
        Assert.Contains("**Carla Kok** · e-mail · `old-notice` · delivered", reply.Text, StringComparison.Ordinal);
        var failures = Assert.Single(reply.Actions);
        Assert.Equal("deliveries autumn failed", failures["data"]!["command"]!.GetValue<string>());
        Assert.Equal("Show failures", failures["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deliveries_of_a_wave_by_its_Dutch_name_answer_in_Dutch()
    {
        var reply = await bot.AskAsync("bezorgingen Herfst", locale: "nl-NL");

        Assert.Contains("Bezorgingen: golf Herfst", reply.Text, StringComparison.Ordinal);
        Assert.Contains("5 ontvanger(s) en route(s): 3 afgeleverd, 2 mislukt, 0 wachtend, 0 overgeslagen", reply.Text, StringComparison.Ordinal);
        Assert.Contains("**kanaal van Klein** · kanaal · `prepare` · afgeleverd", reply.Text, StringComparison.Ordinal);
        Assert.Contains("**Daan de Boer** · 1-op-1-chat · `prepare` · mislukt: de persoon heeft de bot geblokkeerd of verwijderd", reply.Text, StringComparison.Ordinal);
        Assert.Equal("Mislukte tonen", Assert.Single(reply.Actions)["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_failed_filter_groups_a_departments_failures_by_reason_and_offers_retry_only_for_those_worth_it()
    {
        var reply = await bot.AskAsync("deliveries small failed");

        DeliveriesHarness.AssertValid(reply.Card!);
        Assert.Contains("Failures: department Small", reply.Text, StringComparison.Ordinal);
        Assert.Contains("2 failed; 1 can be retried.", reply.Text, StringComparison.Ordinal);
        Assert.Contains("the person blocked or removed the bot (1)", reply.Text, StringComparison.Ordinal);
        Assert.Contains("temporary error (service unavailable or timeout), gave up after retries (1), worth retrying", reply.Text, StringComparison.Ordinal);
        Assert.Contains("**Eva Jansen** · 1:1 chat · `prepare`", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Carla", reply.Text, StringComparison.Ordinal);
        var retry = Assert.Single(reply.Actions, a => a["verb"]!.GetValue<string>() == DeliveriesCommands.RetryVerb);
        Assert.Equal("Retry 1", retry["title"]!.GetValue<string>());
        Assert.Equal("small", retry["data"]!["scope"]!.GetValue<string>());
        // Nothing on the card gathers inputs: a click is never blocked.
        Assert.Equal("none", retry["associatedInputs"]!.GetValue<string>());

        var dutch = await bot.AskAsync("afleveringen Klein mislukt", locale: "nl-NL");
        Assert.Contains("Mislukt: afdeling Klein", dutch.Text, StringComparison.Ordinal);
        Assert.Contains("2 mislukt; 1 kan opnieuw geprobeerd worden.", dutch.Text, StringComparison.Ordinal);
        Assert.Equal("1 opnieuw proberen", Assert.Single(dutch.Actions, a => a["verb"]!.GetValue<string>() == DeliveriesCommands.RetryVerb)["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deliveries_of_a_person_by_e_mail_or_by_name_list_only_that_persons_routes()
    {
        var byMail = await bot.AskAsync("deliveries carla@contoso.example");
        Assert.Contains("Deliveries: Carla Kok", byMail.Text, StringComparison.Ordinal);
        Assert.Contains("2 recipient(s) and route(s): 2 delivered, 0 failed", byMail.Text, StringComparison.Ordinal);
        Assert.Contains("1:1 chat · `prepare` · delivered", byMail.Text, StringComparison.Ordinal);
        Assert.Contains("e-mail · `old-notice` · delivered", byMail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Daan", byMail.Text, StringComparison.Ordinal);
        Assert.Empty(byMail.Actions);

        var byName = await bot.AskAsync("deliveries Daan de Boer");
        Assert.Contains("Deliveries: Daan de Boer", byName.Text, StringComparison.Ordinal);
        Assert.Contains("1 recipient(s) and route(s): 0 delivered, 1 failed", byName.Text, StringComparison.Ordinal);

        var dutch = await bot.AskAsync("bezorgingen eva jansen mislukt", locale: "nl-NL");
        Assert.Contains("Mislukt: Eva Jansen", dutch.Text, StringComparison.Ordinal);
        Assert.Contains("tijdelijke fout (dienst niet beschikbaar of time-out), opgegeven na herhaalde pogingen (1), opnieuw proberen zinvol", dutch.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_target_is_answered_with_what_it_could_mean()
    {
        var reply = await bot.AskAsync("deliveries nobody");

        Assert.Null(reply.Card);
        Assert.Contains("`nobody` is no wave, department or person I know of", reply.Text, StringComparison.Ordinal);
        Assert.Contains("`autumn`", reply.Text, StringComparison.Ordinal);
        Assert.Contains("`small`", reply.Text, StringComparison.Ordinal);
        Assert.Contains("e-mail address or name", reply.Text, StringComparison.Ordinal);
        Assert.Contains("Usage: `deliveries", (await bot.AskAsync("deliveries")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_lead_is_refused_the_list_and_the_retry_button_and_nothing_is_queued()
    {
        var reply = await bot.AskAsync("deliveries autumn", CommandsHarness.MemberId);
        Assert.Null(reply.Card);
        Assert.Contains("only available to the rollout's project leads", reply.Text, StringComparison.Ordinal);

        var (status, body) = await bot.InvokeAsync(bot.CardAction(DeliveriesCommands.RetryVerb,
            new JsonObject { ["scope"] = "autumn", ["retryId"] = "forged" }, CommandsHarness.MemberId));
        Assert.Equal(200, status);
        Assert.Contains("only available to the rollout", body!.ToJsonString(), StringComparison.Ordinal);
        var eva = Assert.Single(await bot.Services.GetRequiredService<IDeliveryStore>().GetDeliveryLogAsync(DeliveriesHarness.Eva, TestContext.Current.CancellationToken));
        Assert.Equal(JobState.Failed, eva.State);
    }

    [Fact]
    public async Task The_deliveries_export_has_one_row_per_recipient_and_route_including_messages_no_longer_in_the_plan()
    {
        await bot.AskAsync("export deliveries");
        var uploads = bot.Upload.Puts.Count;
        await bot.InvokeAsync(bot.FileConsent("accept"));
        var csv = Encoding.UTF8.GetString(bot.Upload.Puts.Skip(uploads).Single().Body[3..]);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("wave,message,department,audience,planned_local,planned_utc,wave_state,delivery_state,detail,route,recipient,outcome,reason,attempts,queued_utc,updated_utc,in_plan", lines[0]);
        var carla = lines.Where(l => l.Contains(DeliveriesHarness.Carla, StringComparison.Ordinal) || l.Contains("carla@contoso.example", StringComparison.Ordinal)).ToList();
        // Carla got a 1:1 card and an e-mail: two rows.
        Assert.Equal(2, carla.Count);
        Assert.Contains(carla, l => l.StartsWith("autumn,prepare,small,members,2027-09-06 09:30,2027-09-06T07:30:00Z,scheduled,delivered,,1:1," + DeliveriesHarness.Carla + ",delivered,,1,", StringComparison.Ordinal)
            && l.EndsWith(",yes", StringComparison.Ordinal));
        Assert.Contains(carla, l => l.StartsWith("autumn,old-notice,small,email,2027-09-06 09:30,2027-09-06T07:30:00Z,scheduled,delivered,,e-mail,carla@contoso.example,delivered,", StringComparison.Ordinal)
            && l.EndsWith(",no", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(",failed,ConversationBlockedByUser,1:1," + DeliveriesHarness.Daan + ",botblocked,the person blocked or removed the bot,1,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("autumn,prepare,small,channel,", StringComparison.Ordinal) && l.Contains(",channel,19:small@thread.tacv2,delivered,", StringComparison.Ordinal));
        // Planned sends without jobs yet keep one row each.
        Assert.Contains(lines, l => l.StartsWith("pilot,prepare,small,channel,2027-07-05 09:30,2027-07-05T07:30:00Z,scheduled,not registered yet,", StringComparison.Ordinal));
    }
}
