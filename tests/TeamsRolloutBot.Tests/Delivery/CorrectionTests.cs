using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Conversations;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Tests.Commands;

namespace TeamsRolloutBot.Tests.Delivery;

/// <summary>
/// Corrections after sending, through the real pipeline: cards are sent by the delivery engine to the fake connector
/// (so their conversation and activity ids are the connector's), the plan file is edited and reloaded, and the leads'
/// card, <c>update</c> and <c>retract</c> change or delete those cards in place (PUT / DELETE on the fake).
/// </summary>
public sealed class CorrectionTests
{
    private const string Lead = CommandsHarness.LeadId;
    private const string OldTitle = "What is Intune?";
    private const string NewTitle = "What is Intune in two minutes?";
    private static readonly string[] Users = [.. Enumerable.Range(1, 3).Select(DeliveryBot.User)];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_sent_message_changed_in_the_plan_gives_each_lead_one_card_and_Update_puts_the_new_card_in_place()
    {
        await using var h = await StartAsync();
        await HelloAsync(h, Lead);
        var sent = await SendPrepareAsync(h);
        Assert.Equal(4, sent.Count);
        Assert.Single(sent, c => c.Kind == DeliveryKind.Channel);
        Assert.All(sent, c => Assert.Matches("^[0-9a-f]{64}$", c.Fingerprint));

        var before = h.Teams.Calls.Count;
        await EditPlanAsync(h, OldTitle, NewTitle);
        var notices = NoticesTo(h, before, "a:personal-" + Lead);
        var notice = Assert.Single(notices);
        var text = Reply.Visible(notice);
        Assert.Contains("Sent cards differ from the plan", text, StringComparison.Ordinal);
        Assert.Contains("`prepare`: 4 of 4 sent card(s) differ", text, StringComparison.Ordinal);
        AssertValidCard(notice);
        var buttons = Reply.AllActions(notice);
        Assert.Equal(["Update sent cards", "Leave as sent"], buttons.Select(b => b["title"]!.GetValue<string>()));

        // The same change on a later reload tells nobody again.
        var again = h.Teams.Calls.Count;
        await ReloadAsync(h);
        Assert.Empty(NoticesTo(h, again, null));

        var beforeUpdate = h.Teams.Calls.Count;
        var (status, body) = await ClickAsync(h, buttons[0]);
        Assert.Equal(200, status);
        Assert.Contains("Updating the 4 sent card(s) of `prepare`", InvokeText(body), StringComparison.Ordinal);
        var corrected = await WaitForCorrectionsAsync(h, 4);

        var puts = h.CallsSince(beforeUpdate).Where(c => c.Method == "PUT" && !c.Path.Contains("personal-", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, puts.Count);
        foreach (var card in sent)
        {
            var put = Assert.Single(puts, p => p.Path.EndsWith($"/v3/conversations/{Uri.EscapeDataString(card.ConversationId)}/activities/{card.ActivityId}", StringComparison.Ordinal));
            Assert.Contains(NewTitle, put.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("\"What is Intune?\"", put.Body, StringComparison.Ordinal);
            Assert.Equal(card.ActivityId, put.Json!["id"]!.GetValue<string>());
        }
        Assert.All(corrected, c => Assert.Equal(CorrectionOutcome.Updated, c.State));
        Assert.All(corrected, c => Assert.DoesNotContain(sent, s => s.JobKey == c.JobKey && s.Fingerprint == c.Fingerprint));
        // The lead sees the outcome per recipient.
        var outcome = await FinalReplyAsync(h, beforeUpdate);
        Assert.Contains("`update prepare` finished: 4 updated, 0 deleted, 0 gone (404), 0 blocked (403), 0 failed.", outcome, StringComparison.Ordinal);
        Assert.Contains($"{Users[0]}: updated", outcome, StringComparison.Ordinal);
        Assert.Contains("channel of small: updated", outcome, StringComparison.Ordinal);
        var audit = await h.Services.GetRequiredService<IAuditLog>().LatestAsync(10, Ct);
        Assert.Contains(audit, a => a.Command == "update prepare" && a.Result == AuditResults.Done && a.Detail == "4 updated");

        // Now the plan and Teams agree: a reload tells nobody.
        var after = h.Teams.Calls.Count;
        await ReloadAsync(h);
        Assert.Empty(NoticesTo(h, after, null));
    }

    [Fact]
    public async Task Leave_as_sent_is_remembered_and_the_cards_are_not_touched()
    {
        await using var h = await StartAsync();
        await HelloAsync(h, Lead);
        await SendPrepareAsync(h);
        var before = h.Teams.Calls.Count;
        await EditPlanAsync(h, OldTitle, NewTitle);
        var leave = Reply.AllActions(Assert.Single(NoticesTo(h, before, "a:personal-" + Lead)))[1];

        var clicked = h.Teams.Calls.Count;
        var (_, body) = await ClickAsync(h, leave);
        Assert.Contains("Left as sent by Lotte Lead", InvokeText(body), StringComparison.Ordinal);
        // A second click (another lead, or the Update button after all) does not undo the first decision.
        var (_, second) = await ClickAsync(h, Reply.AllActions(Assert.Single(NoticesTo(h, before, "a:personal-" + Lead)))[0]);
        Assert.Contains("Already decided for `prepare`: left as sent by Lotte Lead", InvokeText(second), StringComparison.Ordinal);
        await ReloadAsync(h);

        Assert.DoesNotContain(h.CallsSince(clicked), c => c.Method is "PUT" or "DELETE");
        Assert.Empty(NoticesTo(h, clicked, null));
        Assert.All(await h.Services.GetRequiredService<ISentCardStore>().GetSentAsync("prepare", Ct), c => Assert.Equal(CorrectionOutcome.Sent, c.State));
        var audit = await h.Services.GetRequiredService<IAuditLog>().LatestAsync(10, Ct);
        Assert.Contains(audit, a => a.Command == "leave prepare" && a.Result == AuditResults.Done);
    }

    [Fact]
    public async Task Retract_deletes_every_sent_card_and_records_gone_and_blocked_per_recipient()
    {
        await using var h = await StartAsync();
        await HelloAsync(h, Lead);
        var sent = await SendPrepareAsync(h);
        var gone = sent.First(c => c.Target == Users[0]);
        h.Teams.Gone[gone.ActivityId] = true;
        h.Teams.Blocked[Users[1]] = true;

        var before = h.Teams.Calls.Count;
        var reply = await SayAsync(h, "retract prepare small");
        Assert.Contains("Retracting the 4 sent card(s) of `prepare` in Small", reply, StringComparison.Ordinal);
        var corrected = await WaitForCorrectionsAsync(h, 4);

        var deletes = h.CallsSince(before).Where(c => c.Method == "DELETE").ToList();
        Assert.Equal(4, deletes.Count);
        Assert.All(sent, card => Assert.Single(deletes, d => d.Path.EndsWith($"/activities/{card.ActivityId}", StringComparison.Ordinal)));
        Assert.Equal(CorrectionOutcome.Gone, corrected.Single(c => c.Target == Users[0]).State);
        Assert.Equal(CorrectionOutcome.Blocked, corrected.Single(c => c.Target == Users[1]).State);
        Assert.Equal(CorrectionOutcome.Retracted, corrected.Single(c => c.Target == Users[2]).State);
        Assert.Equal(CorrectionOutcome.Retracted, corrected.Single(c => c.Kind == DeliveryKind.Channel).State);
        var outcome = await FinalReplyAsync(h, before);
        Assert.Contains("`retract prepare small` finished: 0 updated, 2 deleted, 1 gone (404), 1 blocked (403), 0 failed.", outcome, StringComparison.Ordinal);
        Assert.Contains($"{Users[1]}: blocked (403)", outcome, StringComparison.Ordinal);

        // Status counts the retracted cards as retracted, for the wave and in the overview.
        Assert.Contains("Sent cards corrected: 0 updated, 2 retracted, 1 gone, 1 blocked, 0 failed.", await SayAsync(h, "status pilot"), StringComparison.Ordinal);
        Assert.Contains("Sent cards corrected: 0 updated, 2 retracted, 1 gone, 1 blocked, 0 failed.", await SayAsync(h, "status"), StringComparison.Ordinal);

        // Retracted cards are no longer in Teams: nothing is left to retract or update.
        Assert.Contains("No card of `prepare` is in Teams in Small: nothing to retract.", await SayAsync(h, "retract prepare small"), StringComparison.Ordinal);
        Assert.Contains("No card of `prepare` is in Teams: nothing to update.", await SayAsync(h, "update prepare"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Above_ConfirmAbove_the_lead_confirms_first_and_the_Dutch_aliases_work()
    {
        await using var h = await StartAsync(confirmAbove: "2");
        await HelloAsync(h, Lead, "nl-NL");
        var sent = await SendPrepareAsync(h);
        await EditPlanAsync(h, OldTitle, NewTitle);

        var before = h.Teams.Calls.Count;
        var ask = await SayCardAsync(h, "bijwerken prepare", "nl-NL");
        Assert.Contains("De 4 verstuurde kaart(en) van `prepare` ter plekke bijwerken", Reply.Visible(ask), StringComparison.Ordinal);
        Assert.DoesNotContain(h.CallsSince(before), c => c.Method == "PUT" && !c.Path.Contains("personal-", StringComparison.Ordinal));
        var confirm = Reply.AllActions(ask).First(a => a["verb"]!.GetValue<string>() == CommandCards.ConfirmVerb);
        await ClickAsync(h, confirm, "nl-NL");
        await WaitForCorrectionsAsync(h, 4);
        Assert.Equal(4, h.CallsSince(before).Count(c => c.Method == "PUT" && c.Body.Contains(NewTitle, StringComparison.Ordinal)));
        Assert.Contains("`update prepare` klaar: 4 bijgewerkt", await FinalReplyAsync(h, before), StringComparison.Ordinal);

        var retract = h.Teams.Calls.Count;
        var askRetract = await SayCardAsync(h, "intrekken prepare", "nl-NL");
        Assert.Contains("uit Teams verwijderen", Reply.Visible(askRetract), StringComparison.Ordinal);
        await ClickAsync(h, Reply.AllActions(askRetract).First(a => a["verb"]!.GetValue<string>() == CommandCards.ConfirmVerb), "nl-NL");
        await WaitForCorrectionsAsync(h, 4, CorrectionOutcome.Retracted);
        Assert.Equal(4, h.CallsSince(retract).Count(c => c.Method == "DELETE"));
        Assert.All(sent, card => Assert.True(h.Teams.Deletes.ContainsKey(card.ConversationId)));
    }

    [Fact]
    public async Task A_non_lead_cannot_update_or_retract_and_nothing_changes_in_Teams()
    {
        await using var h = await StartAsync();
        await SendPrepareAsync(h);
        var before = h.Teams.Calls.Count;

        var update = await SayAsync(h, "update prepare", CommandsHarness.MemberId);
        var retract = await SayAsync(h, "intrekken prepare", CommandsHarness.MemberId);
        Assert.Contains("project leads", update, StringComparison.Ordinal);
        Assert.Contains("projectleiders", await SayAsync(h, "intrekken prepare", CommandsHarness.MemberId, "nl-NL"), StringComparison.Ordinal);
        Assert.Equal(update, retract);

        await Task.Delay(300, Ct);
        Assert.DoesNotContain(h.CallsSince(before), c => c.Method is "PUT" or "DELETE");
        var audit = await h.Services.GetRequiredService<IAuditLog>().LatestAsync(10, Ct);
        Assert.Contains(audit, a => a.Command == "update prepare" && a.Result == AuditResults.Refused);
    }

    [Fact]
    public async Task Updating_a_survey_keeps_the_answers_given_and_who_answered_still_sees_their_thanks()
    {
        var plan = CommandsHarness.Plan.Replace("""
              - id: enroll
            """, """
              - id: pulse
                phase: post-enrollment
                offset: 3w
                time: "10:00"
                audience: members
                template: survey
                parameters:
                  survey: pilot-pulse
              - id: enroll
            """, StringComparison.Ordinal);
        await using var h = await StartAsync(planText: plan);
        await HelloAsync(h, Lead);
        var current = h.Services.GetRequiredService<PlanProvider>().Current!;
        var pulse = current.FindWave("pilot")!.EffectiveMessages.Single(m => m.Id == "pulse");
        Assert.True((await h.Services.GetRequiredService<IWaveControl>().SendNowAsync("seed-pulse", pulse, [current.FindDepartment("small")!], "Lotte Lead", Ct)).Queued);
        await h.DeliverAsync();
        var sent = await h.Services.GetRequiredService<ISentCardStore>().GetSentAsync("pulse", Ct);
        Assert.Equal(3, sent.Count);

        var data = new JsonObject
        {
            ["surveyId"] = "pilot-pulse", ["messageId"] = "pulse", ["waveId"] = "pilot", ["departmentId"] = "small",
            ["rating"] = "3", ["success"] = "yes", ["platform"] = "windows", ["duration"] = "15to30", ["consent"] = "false",
        };
        var (status, thanks) = await SurveyInvokeAsync(h, Users[0], TeamsRolloutBot.Feedback.SurveyInvokeHandler.Submit, data);
        Assert.Equal(200, status);
        Assert.Contains("Thank you for your feedback!", Reply.Visible(thanks!["value"]!), StringComparison.Ordinal);

        var before = h.Teams.Calls.Count;
        await EditPlanAsync(h, "name: { nl: Klein, en: Small }", "name: { nl: Klein team, en: Small team }");
        Assert.Contains(NoticesTo(h, before, "a:personal-" + Lead), n => Reply.Visible(n).Contains("`pulse`: 3 of 3 sent card(s) differ", StringComparison.Ordinal));
        var update = h.Teams.Calls.Count;
        Assert.Contains("Updating the 3 sent card(s) of `pulse`", await SayAsync(h, "update pulse"), StringComparison.Ordinal);
        await WaitForCorrectionsAsync(h, 3, CorrectionOutcome.Updated, "pulse");
        var puts = h.CallsSince(update).Where(c => c.Method == "PUT" && !c.Path.Contains("personal-", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, puts.Count);
        Assert.All(puts, p => Assert.Contains("Small team", p.Body, StringComparison.Ordinal));
        // The updated card still refreshes per user: who answered gets the thanks with their answer, the others the survey.
        Assert.All(puts, p => Assert.Contains(TeamsRolloutBot.Feedback.SurveyInvokeHandler.Refresh, p.Body, StringComparison.Ordinal));

        var (_, answered) = await SurveyInvokeAsync(h, Users[0], TeamsRolloutBot.Feedback.SurveyInvokeHandler.Refresh, data);
        var (_, other) = await SurveyInvokeAsync(h, Users[1], TeamsRolloutBot.Feedback.SurveyInvokeHandler.Refresh, data);
        Assert.Contains("Thank you for your feedback!", Reply.Visible(answered!["value"]!), StringComparison.Ordinal);
        Assert.Contains("3 - Okay", Reply.Visible(answered!["value"]!), StringComparison.Ordinal);
        Assert.DoesNotContain("Thank you", Reply.Visible(other!["value"]!), StringComparison.Ordinal);
    }

    private static async Task<(int Status, JsonNode? Body)> SurveyInvokeAsync(TestBot h, string user, string verb, JsonObject data)
    {
        var activity = Personal(h, "", user, "en-US");
        activity.Remove("text");
        activity["type"] = "invoke";
        activity["name"] = "adaptiveCard/action";
        activity["replyToId"] = "survey-card-" + user;
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data.DeepClone() },
            ["trigger"] = verb == TeamsRolloutBot.Feedback.SurveyInvokeHandler.Refresh ? "automatic" : "manual",
        };
        var response = await h.PostAsync(activity);
        return (response.Status, response.Body);
    }

    private static async Task<TestBot> StartAsync(string confirmAbove = "50", string planText = CommandsHarness.Plan)
    {
        var folder = Path.Combine(Path.GetTempPath(), "trb-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var planPath = Path.Combine(folder, "plan.yaml");
        await File.WriteAllTextAsync(planPath, planText.Replace(
            "members: { users: [00000000-0000-0000-0000-0000000000c1, 00000000-0000-0000-0000-0000000000c2, 00000000-0000-0000-0000-0000000000c3] }",
            $"members: {{ users: [{string.Join(", ", Users)}] }}", StringComparison.Ordinal), Ct);
        return await DeliveryBot.StartAsync(new Dictionary<string, string?>
        {
            ["Rollout:PlanPath"] = planPath,
            ["Rollout:WatchPlanFile"] = "false",
            ["Commands:ConfirmAbove"] = confirmAbove,
        });
    }

    /// <summary>Sends <c>prepare</c> (channel post and 1:1) to the department now, through the delivery engine; returns the recorded cards.</summary>
    private static async Task<IReadOnlyList<SentCard>> SendPrepareAsync(TestBot h)
    {
        var plan = h.Services.GetRequiredService<PlanProvider>().Current!;
        var prepare = plan.FindWave("pilot")!.EffectiveMessages.Single(m => m.Id == "prepare");
        var result = await h.Services.GetRequiredService<IWaveControl>().SendNowAsync("seed-" + Guid.NewGuid().ToString("N")[..8], prepare, [plan.FindDepartment("small")!], "Lotte Lead", Ct);
        Assert.True(result.Queued);
        await h.DeliverAsync();
        Assert.All(Users, u => Assert.Equal(1, h.Teams.MessagesTo(u)));
        return await h.Services.GetRequiredService<ISentCardStore>().GetSentAsync("prepare", Ct);
    }

    private static async Task EditPlanAsync(TestBot h, string from, string to)
    {
        var text = await File.ReadAllTextAsync(h.PlanPath!, Ct);
        Assert.Contains(from, text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(h.PlanPath!, text.Replace(from, to, StringComparison.Ordinal), Ct);
        await ReloadAsync(h);
    }

    private static async Task ReloadAsync(TestBot h)
    {
        Assert.True((await h.Services.GetRequiredService<PlanProvider>().ReloadAsync(Ct)).IsValid);
        await h.Services.GetRequiredService<CorrectionNotifier>().Last;
    }

    /// <summary>The "changed after send" cards posted since <paramref name="before"/> (to one conversation, or to any).</summary>
    private static List<JsonNode> NoticesTo(TestBot h, int before, string? conversationId) =>
    [
        .. h.CallsSince(before)
            .Where(c => c.Method == "POST" && (conversationId is null || c.Path.Contains("/v3/conversations/" + Uri.EscapeDataString(conversationId) + "/", StringComparison.Ordinal)))
            .Select(c => c.Json?["attachments"]?[0]?["content"])
            .OfType<JsonNode>()
            .Where(card => Reply.AllActions(card).Any(a => a["verb"]?.GetValue<string>() == CorrectionCards.UpdateVerb)),
    ];

    private static void AssertValidCard(JsonNode card)
    {
        var result = Cards.AdaptiveCardSchema.Schema.Evaluate(JsonDocument.Parse(card.ToJsonString()).RootElement,
            new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Take(10)
            .Select(d => d.InstanceLocation + ": " + string.Join("; ", d.Errors!.Values))));
        Assert.DoesNotContain("\"isRequired\":true", card.ToJsonString(), StringComparison.Ordinal);
    }

    private static async Task HelloAsync(TestBot h, string user, string locale = "en-US")
    {
        await SayAsync(h, "whoami", user, locale);
    }

    private static JsonObject Personal(TestBot h, string text, string user, string locale)
    {
        var activity = TestActivities.PersonalMessage(h.ServiceUrl, text, locale);
        activity["from"] = CommandsHarness.From(user);
        activity["conversation"]!["id"] = "a:personal-" + user;
        return activity;
    }

    /// <summary>Says something as <paramref name="user"/> in their 1:1 chat; returns the text of the bot's reply.</summary>
    private static async Task<string> SayAsync(TestBot h, string text, string user = Lead, string locale = "en-US")
    {
        var before = h.Teams.Calls.Count;
        var activity = Personal(h, text, user, locale);
        var response = await h.PostAsync(activity);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return new Reply(await ReplyToAsync(h, before, activity)).Text;
    }

    private static async Task<JsonNode> SayCardAsync(TestBot h, string text, string locale)
    {
        var before = h.Teams.Calls.Count;
        var activity = Personal(h, text, Lead, locale);
        await h.PostAsync(activity);
        return Assert.IsType<JsonObject>(new Reply(await ReplyToAsync(h, before, activity)).Card);
    }

    /// <summary>The bot's reply to <paramref name="activity"/> (not the progress messages of a correction in the same chat).</summary>
    private static async Task<ConnectorCall> ReplyToAsync(TestBot h, int before, JsonObject activity)
    {
        var path = "/activities/" + Uri.EscapeDataString(activity["id"]!.GetValue<string>());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (h.CallsSince(before).FirstOrDefault(c => c.Method == "POST" && c.Path.EndsWith(path, StringComparison.Ordinal)) is { } reply)
            {
                return reply;
            }
            await Task.Delay(20, Ct);
        }
        Assert.Fail("no reply to " + activity["text"]);
        return null!;
    }

    /// <summary>Clicks an Action.Execute button as the lead; returns the invoke response.</summary>
    private static async Task<(int Status, JsonNode? Body)> ClickAsync(TestBot h, JsonObject button, string locale = "en-US")
    {
        var activity = Personal(h, "", Lead, locale);
        activity.Remove("text");
        activity["type"] = "invoke";
        activity["name"] = "adaptiveCard/action";
        activity["replyToId"] = "card-activity-1";
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = button["verb"]!.GetValue<string>(), ["data"] = button["data"]!.DeepClone() },
            ["trigger"] = "manual",
        };
        var response = await h.PostAsync(activity);
        return (response.Status, response.Body);
    }

    /// <summary>The message an invoke response shows (its value), or the whole body.</summary>
    private static string InvokeText(JsonNode? body) =>
        body?["value"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : body?.ToJsonString() ?? "";

    /// <summary>Waits (bounded) until <paramref name="count"/> cards of <c>prepare</c> have a correction recorded.</summary>
    private static async Task<IReadOnlyList<SentCard>> WaitForCorrectionsAsync(TestBot h, int count, CorrectionOutcome? outcome = null, string messageId = "prepare")
    {
        var store = h.Services.GetRequiredService<ISentCardStore>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        IReadOnlyList<SentCard> cards;
        do
        {
            cards = await store.GetSentAsync(messageId, Ct);
            if (cards.Count(c => outcome is null ? c.State != CorrectionOutcome.Sent : c.State == outcome) >= count)
            {
                return cards;
            }
            await Task.Delay(50, Ct);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"only {cards.Count(c => c.State != CorrectionOutcome.Sent)} of {count} cards were corrected");
        return cards;
    }

    /// <summary>The lead's progress message as it ended (updated in place), since <paramref name="before"/>.</summary>
    private static async Task<string> FinalReplyAsync(TestBot h, int before)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var final = h.CallsSince(before).LastOrDefault(c => c.Method == "PUT" && c.Path.Contains("personal-" + Lead, StringComparison.Ordinal));
            if (final?.Json?["text"]?.GetValue<string>() is { } text && (text.Contains("finished", StringComparison.Ordinal) || text.Contains("klaar:", StringComparison.Ordinal)))
            {
                return text;
            }
            await Task.Delay(50, Ct);
        }
        Assert.Fail("the lead got no outcome");
        return "";
    }
}
