using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Conversations;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Tests.Commands;
using TeamsRolloutBot.Tests.Delivery;
using TeamsRolloutBot.Tests.Feedback;
using TeamsRolloutBot.Tests.Feedback.Replies;
using TeamsRolloutBot.Tests.Infrastructure;
using static TeamsRolloutBot.Tests.Commands.CommandsHarness;

namespace TeamsRolloutBot.Tests.Cards;

/// <summary>
/// Every card and bot text, rendered or sent through the real pipeline in Dutch and in English, contains no sentence of
/// the other language's strings file: a Dutch lead, member or channel never reads an English sentence, or the reverse.
/// </summary>
public sealed class BotTextLanguageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Languages() => ["nl", "en"];

    private static string LocaleOf(string language) => language == "nl" ? "nl-NL" : "en-US";

    [Fact]
    public void The_check_finds_a_sentence_of_the_other_strings_file_between_placeholders_and_ignores_shared_texts()
    {
        var english = CardStrings.Text("en", "commands.export.uploaded", new Dictionary<string, string>()).Replace("{0}", "x.csv", StringComparison.Ordinal);
        Assert.Contains("to your OneDrive", Assert.Single(LanguageLeaks.In("nl", "Klaar. " + english)), StringComparison.Ordinal);
        Assert.NotEmpty(LanguageLeaks.In("en", CardStrings.Text("nl", "help.unknownCommand")));
        // Texts the same in both files (command syntax, product names) are no leak; neither are the output language's own texts.
        Assert.Empty(LanguageLeaks.In("nl", CardStrings.Text("en", "language.dateFormat") + " " + CardStrings.Text("nl", "help.unknownCommand")));
        Assert.Empty(LanguageLeaks.In("nl", "Microsoft Intune Company Portal"));
    }

    [Theory]
    [InlineData("nl", "feedback setup-list", "feedback lijst-instellen")]
    [InlineData("nl", "send enroll to big now", "verstuur enroll naar big nu")]
    [InlineData("nl", "wave pause winter", "golf pauzeer winter")]
    [InlineData("nl", "export deliveries", "exporteer leveringen")]
    [InlineData("nl", "plan reload", "planning herlaad")]
    [InlineData("nl", "wave start main 2027-08-02", "golf start main 2027-08-02")]
    [InlineData("en", "wave pause winter", "wave pause winter")]
    public void Commands_in_the_audit_log_and_confirmations_are_shown_with_the_readers_command_words(string language, string canonical, string shown)
    {
        Assert.Equal(shown, TeamsRolloutBot.Commands.CommandTexts.Display(language, canonical));
        Assert.Equal(canonical, TeamsRolloutBot.Commands.CommandParser.Parse(shown)?.Command?.Canonical);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_card_template_of_the_sample_plan_is_in_one_language(string language)
    {
        var cases = SamplePlan.AllCases.Where(c => c.Language == language).ToList();
        Assert.Contains(cases, c => c.TemplateId == CardTemplateIds.Status);
        LanguageLeaks.AssertNone(language, cases.Select(c => (c.ToString(), LanguageLeaks.Readable(CardRenderer.Render(c.TemplateId, c.Data, c.Language)))));
    }

    /// <summary>A lead (Teams locale nl-NL or en-US; the plan's default is English) works through every command, button and refusal.</summary>
    [Theory]
    [MemberData(nameof(Languages))]
    public async Task Every_command_answer_confirmation_refusal_and_export_text_is_in_the_leads_language(string language)
    {
        var bot = new CommandsHarness();
        await bot.InitializeAsync();
        try
        {
            var locale = LocaleOf(language);
            var outputs = new List<(string, string)>();
            async Task<Reply> Ask(string text, string user = LeadId)
            {
                var reply = await bot.AskAsync(text, user, locale);
                outputs.Add((text, LanguageLeaks.Readable(reply.Json)));
                return reply;
            }
            async Task Say(string where, JsonObject activity)
            {
                foreach (var call in await bot.SayAsync(activity))
                {
                    outputs.Add((where, LanguageLeaks.Readable(call.Json)));
                }
            }
            async Task Invoke(string where, JsonObject activity)
            {
                var before = bot.Teams.Calls.Count;
                var (_, body) = await bot.InvokeAsync(activity);
                outputs.Add((where, LanguageLeaks.Readable(body)));
                foreach (var call in bot.Teams.Calls.Skip(before))
                {
                    outputs.Add((where + " (message)", LanguageLeaks.Readable(call.Json)));
                }
            }

            foreach (var command in new[]
            {
                "help", "whoami", "plan", "schedule", "schedule pilot", "status", "status pilot", "preview prepare", "preview enroll",
                "wave start", "wave pause", "wave resume", "wave cancel", "send", "preview", "export",
                "hlep", "xyzzy", "status nosuch", "preview nosuch", "send nosuch to small now", "send prepare to nowhere now",
                "feedback", "feedback pilot", "feedback small", "feedback nosuch", "feedback setup-list",
                "wave pause winter", "wave pause winter", "wave resume winter", "wave cancel winter", "wave resume winter",
                "wave start pilot now", "send enroll to small now", "export deliveries", "export feedback",
            })
            {
                await Ask(command);
            }

            // Confirmations: declined, clicked again, clicked by another lead, confirmed.
            var confirm = await Ask("send enroll to big now");
            string IdOf(Reply reply) => reply.Actions.First(a => a["verb"]!.GetValue<string>() == "confirm")["data"]!["confirmationId"]!.GetValue<string>();
            var first = IdOf(confirm);
            await Invoke("decline", bot.CardAction("decline", new JsonObject { ["confirmationId"] = first }, locale: locale));
            await Invoke("confirm after decline", bot.CardAction("confirm", new JsonObject { ["confirmationId"] = first }, locale: locale));
            var second = IdOf(await Ask("wave start main"));
            await Invoke("confirm by another lead", bot.CardAction("confirm", new JsonObject { ["confirmationId"] = second }, SecondLeadId, locale: locale));
            await Invoke("confirm", bot.CardAction("confirm", new JsonObject { ["confirmationId"] = second }, locale: locale));
            await Invoke("unknown confirmation", bot.CardAction("confirm", new JsonObject { ["confirmationId"] = "no-such-id" }, locale: locale));
            await Invoke("unknown button", bot.CardAction("no.such.verb", new JsonObject(), locale: locale));
            await Invoke("status button", bot.CardAction("run", new JsonObject { ["command"] = "status" }, locale: locale));

            // Refusals: a member, and a lead in a channel asking for a file.
            await Ask("plan", MemberId);
            await Ask("whoami", MemberId);
            var channel = bot.Channel("export feedback");
            channel["locale"] = locale;
            await Say("export in a channel", channel);

            // File consent: accepted and declined.
            foreach (var action in new[] { "accept", "decline" })
            {
                var consent = bot.FileConsent(action, "deliveries", LeadId, locale);
                await Invoke("file consent " + action, consent);
            }

            // Plan reload: a broken edit (errors, old plan stays), then the fixed file; then the status card with its audit lines.
            var good = await File.ReadAllTextAsync(bot.PlanPath, Ct);
            await File.WriteAllTextAsync(bot.PlanPath, good.Replace("timeZone: Europe/Amsterdam", "timeZone: Europe/Amsterdamm", StringComparison.Ordinal), Ct);
            var failed = await Ask("plan reload");
            await File.WriteAllTextAsync(bot.PlanPath, good, Ct);
            await Ask("plan reload");
            var status = await Ask("status");

            // The run was in the lead's language: its own texts are there (not merely no foreign ones).
            Assert.Contains(CardStrings.Text(language, "commands.reload.kept").Replace("{0}", "Commands test rollout", StringComparison.Ordinal), failed.Text, StringComparison.Ordinal);
            Assert.Contains(CardStrings.Text(language, "commands.auditResult.done"), status.Text, StringComparison.Ordinal);
            Assert.True(outputs.Count >= 50, $"only {outputs.Count} answers");
            LanguageLeaks.AssertNone(language, outputs);
        }
        finally
        {
            await bot.DisposeAsync();
        }
    }

    /// <summary>
    /// Missed-send reports, the status card while a wave message goes out, its final form and the summary message reach
    /// each lead in their language (their chat's Teams locale, else the plan default); channel posts use the department's
    /// language, else the plan default.
    /// </summary>
    [Fact]
    public async Task Lead_reports_come_in_each_leads_language_and_channel_posts_in_the_departments_language()
    {
        var dutchLead = DeliveryBot.User(801);
        var englishLead = DeliveryBot.User(802);
        var defaultLead = DeliveryBot.User(803); // never wrote to the bot: the plan default, Dutch
        var member = DeliveryBot.User(1);
        await using var h = await DeliveryBot.StartAsync(new() { ["Delivery:GraceWindow"] = "02:00:00" });
        foreach (var (lead, locale) in new[] { (dutchLead, "nl-NL"), (englishLead, "en-GB") })
        {
            await h.Store.SaveConversationAsync(new ConversationReference("msteams", h.Teams.ServiceUrl, FakeTeams.PersonalId(lead), "personal",
                DeliveryBot.Tenant, TestActivities.BotId, "29:" + lead, lead, null, null, null, locale), Ct);
        }
        var now = DateTimeOffset.UtcNow;
        var departments = new Dictionary<string, DepartmentTarget>
        {
            ["hr"] = new("hr", "HR", "19:hr-team@thread.tacv2", "19:hr@thread.tacv2", null, [member], Language: "en"),
            ["fin"] = new("fin", "Finance", "19:fin-team@thread.tacv2", "19:fin@thread.tacv2", null, []),
        };
        h.UsePlan(new DeliveryPlan("test", [
                DeliveryBot.Send("old", "hr", SendAudience.Channel, now - TimeSpan.FromHours(10)),
                DeliveryBot.Send("pre-1", "hr", SendAudience.Channel, now),
                DeliveryBot.Send("pre-1", "fin", SendAudience.Channel, now),
                DeliveryBot.Send("pre-1", "hr", SendAudience.Members, now),
            ], departments, [dutchLead, englishLead, defaultLead], "nl", Languages: ["nl", "en"]));
        var leads = new[] { dutchLead, englishLead, defaultLead };
        var seen = leads.ToDictionary(l => l, _ => new List<(string, string)>());
        void Capture(string step)
        {
            foreach (var lead in leads)
            {
                if (h.Teams.LastBody.TryGetValue(FakeTeams.PersonalId(lead), out var body))
                {
                    seen[lead].Add((step, LanguageLeaks.Readable(JsonNode.Parse(body))));
                }
            }
        }
        var progress = h.Services.GetRequiredService<ProgressReporter>();

        await h.Scheduler.RunOnceAsync(Ct); // reports the missed send, queues the others
        Capture("missed send");
        await progress.RunOnceAsync(Ct); // the status card while sends are pending
        Capture("status card");
        await h.DeliverAsync();
        await progress.RunOnceAsync(Ct); // the card turns final, then the summary message
        Capture("summary");
        await progress.RunOnceAsync(Ct);

        foreach (var (lead, language) in new[] { (dutchLead, "nl"), (englishLead, "en"), (defaultLead, "nl") })
        {
            var texts = seen[lead];
            Assert.Equal(3, texts.Count);
            Assert.Contains(CardStrings.Text(language, "progress.titleRunning", new Dictionary<string, string> { ["wave"] = "wave-1", ["message"] = "pre-1" }), texts[1].Item2, StringComparison.Ordinal);
            Assert.Contains(CardStrings.Text(language, "delivery.missed")[..12], texts[0].Item2, StringComparison.Ordinal);
            Assert.Contains(language == "nl" ? "3 afgeleverd" : "3 delivered", texts[2].Item2, StringComparison.Ordinal);
            LanguageLeaks.AssertNone(language, texts);
        }

        // hr says language: en; fin says nothing, so the plan's Dutch. The hr member has no language of their own: hr's.
        var hr = LanguageLeaks.Readable(JsonNode.Parse(h.Teams.LastBody["19:hr@thread.tacv2"]));
        var fin = LanguageLeaks.Readable(JsonNode.Parse(h.Teams.LastBody["19:fin@thread.tacv2"]));
        var hrMember = LanguageLeaks.Readable(JsonNode.Parse(h.Teams.LastBody[FakeTeams.PersonalId(member)]));
        Assert.Contains("Rollout message: Enrollment (pre-1)", hr, StringComparison.Ordinal);
        Assert.Contains("Uitrolbericht: Registratie (pre-1)", fin, StringComparison.Ordinal);
        Assert.Contains("Rollout message:", hrMember, StringComparison.Ordinal);
        LanguageLeaks.AssertNone("en", [("hr channel", hr), ("hr member", hrMember)]);
        LanguageLeaks.AssertNone("nl", [("fin channel", fin)]);
    }

    /// <summary>The welcome card in a team is read by everyone: the language of the department whose team it is, else the plan default.</summary>
    [Fact]
    public async Task The_welcome_in_a_team_uses_the_departments_language_not_the_installers()
    {
        var sample = await File.ReadAllTextAsync(RepoPaths.SamplePlan, Ct);
        // The sample plan is Dutch by default; its IT department reads English.
        await using var bot = await TestBot.Create()
            .WithPlan(sample.Replace("    expectedSize: 260\n", "    expectedSize: 260\n    language: en\n", StringComparison.Ordinal))
            .StartAsync();
        Assert.Equal("en", bot.Services.GetRequiredService<PlanProvider>().Current!.LanguageOf("it"));

        async Task<string> WelcomeIn(string team, string conversation)
        {
            var install = TestActivities.TeamInstall(bot.ServiceUrl);
            install["locale"] = "nl-NL";
            install["conversation"]!["id"] = conversation;
            install["channelData"]!["team"]!["id"] = team;
            var before = bot.Teams.Calls.Count;
            await bot.PostAsync(install);
            return LanguageLeaks.Readable(Assert.Single(bot.CallsSince(before)).Json);
        }

        var it = await WelcomeIn("19:it-team@thread.tacv2", "19:it-team@thread.tacv2");
        var other = await WelcomeIn("19:unknown-team@thread.tacv2", "19:unknown-team@thread.tacv2");

        Assert.Contains("Hi, I am the Intune device enrollment 2027 assistant", it, StringComparison.Ordinal);
        Assert.Contains("Hallo, ik ben de assistent van Intune device enrollment 2027", other, StringComparison.Ordinal);
        LanguageLeaks.AssertNone("en", [("IT team", it)]);
        LanguageLeaks.AssertNone("nl", [("other team", other)]);
    }

    /// <summary>The feedback summary with its thread-reply section, survey answers refused and accepted, and the plan reload notice.</summary>
    [Theory]
    [MemberData(nameof(Languages))]
    public async Task Feedback_summaries_survey_answers_and_plan_reload_notices_are_in_one_language(string language)
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);
        var locale = LocaleOf(language);
        var outputs = new List<(string, string)>();
        await ReplyActivities.TrackAsync(bot);
        await bot.PostAsync(ReplyActivities.Message(bot, ReplyActivities.Root, "1700000000701", "De Company Portal vroeg drie keer mijn wachtwoord", user: 2));

        outputs.Add(("refused answer", LanguageLeaks.Readable(await bot.SubmitAsync(1, FeedbackBot.Answer(rating: "9", success: "maybe", comment: new string('x', 2000)), locale: locale))));
        outputs.Add(("answer in personal chat", LanguageLeaks.Readable(await bot.SubmitAsync(1, FeedbackBot.Answer(comment: "ok", consent: "true"), channel: false, locale: locale))));
        outputs.Add(("answer in the channel", LanguageLeaks.Readable(await bot.SubmitAsync(3, FeedbackBot.Answer(problems: "signin,apps"), locale: locale))));
        var summaries = bot.Services.GetRequiredService<FeedbackSummaryService>();
        foreach (var (wave, department) in new[] { ((string?)FeedbackBot.WaveId, (string?)null), (null, "hr"), (null, null) })
        {
            var summary = await summaries.ComputeAsync(wave, department, Ct);
            Assert.NotNull(summary.Replies);
            var card = summaries.Render(summary, language);
            outputs.Add(($"summary {wave}/{department}", LanguageLeaks.Readable(card)));
            Assert.Contains(CardStrings.Text(language, "feedbackSummary.repliesHeading"), LanguageLeaks.Readable(card), StringComparison.Ordinal);
        }

        var plan = bot.Services.GetRequiredService<PlanProvider>().Current!;
        var broken = PlanLoader.Parse("rollout: x\ntimeZone: Mars/Olympus\n", "plan.yaml", CardMessageRules.Instance);
        outputs.Add(("plan reload notice", PlanReloadNotifier.Describe(new PlanReloadedEventArgs(broken, plan), plan, language)));

        LanguageLeaks.AssertNone(language, outputs);
    }
}
