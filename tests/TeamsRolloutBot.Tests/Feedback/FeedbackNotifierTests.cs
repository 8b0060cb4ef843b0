using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Tests.Infrastructure;

namespace TeamsRolloutBot.Tests.Feedback;

/// <summary>One reminder to each non-responder and the automatic summary to leads, on the (fake) clock, timed from the survey's actual delivery.</summary>
public sealed class FeedbackNotifierTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Non_responders_get_one_reminder_after_the_delay_and_people_the_bot_cannot_reach_are_recorded()
    {
        await using var bot = await StartAsync();
        // The survey went out to everyone in the member lists now. hr: 1 answers; 2 and 3 have the app; 4 does not.
        // finance: 5 answers, 6 does not have the app.
        await bot.RecordSurveyJobsAsync("hr", [1, 2, 3, 4]);
        await bot.RecordSurveyJobsAsync("finance", [5, 6]);
        await bot.InstallPersonalAsync(FeedbackBot.Aad(2), FeedbackBot.UserId(2));
        await bot.InstallPersonalAsync(FeedbackBot.Aad(3), FeedbackBot.UserId(3), locale: "nl-NL");
        await bot.InstallPersonalAsync(FeedbackBot.Aad(1), FeedbackBot.UserId(1));
        await bot.SubmitAsync(1, FeedbackBot.Answer(), "hr");
        await bot.SubmitAsync(5, FeedbackBot.Answer(), "finance");
        var notifier = bot.Services.GetRequiredService<FeedbackNotifier>();

        // Right after delivery, and ten days after the plan's date (seven days ago): the reminder (ten days after
        // delivery) is not due yet.
        await notifier.RunOnceAsync(Ct);
        bot.Time.Advance(TimeSpan.FromDays(3.5));
        await notifier.RunOnceAsync(Ct);
        Assert.Empty(await bot.Store.NoticesAsync(FeedbackNotifier.ReminderKind, null, Ct));

        var before = bot.Teams.Calls.Count;
        bot.Time.Advance(TimeSpan.FromDays(7));
        await notifier.RunOnceAsync(Ct);
        var notices = await SettledAsync(bot, FeedbackNotifier.ReminderKind, 4);

        Assert.Equal(
            new[] { (FeedbackBot.Aad(2), "sent"), (FeedbackBot.Aad(3), "sent"), (FeedbackBot.Aad(4), "no-conversation"), (FeedbackBot.Aad(6), "no-conversation") },
            notices.Select(n => (n.Target, n.State)).OrderBy(n => n.Target));
        var reminders = bot.CallsSince(before).Where(c => c.Method == "POST").ToList();
        Assert.Equal(2, reminders.Count);
        var english = reminders.Single(c => c.Path.Contains(FeedbackBot.Aad(2), StringComparison.Ordinal));
        Assert.Contains("gentle reminder", (string)english.Json!["text"]!);
        var card = english.Json!["attachments"]![0]!["content"]!;
        Assert.Equal("survey.submit", (string)card["actions"]![0]!["verb"]!);
        Assert.Equal(FeedbackBot.SurveyId, (string)card["actions"]![0]!["data"]!["surveyId"]!);
        var dutch = reminders.Single(c => c.Path.Contains(FeedbackBot.Aad(3), StringComparison.Ordinal));
        Assert.Contains("vriendelijke herinnering", (string)dutch.Json!["text"]!);

        // Later passes (and the background worker's own) remind nobody again.
        bot.Time.Advance(TimeSpan.FromHours(6));
        await notifier.RunOnceAsync(Ct);
        await notifier.RunOnceAsync(Ct);
        Assert.Equal(2, bot.CallsSince(before).Count(c => c.Method == "POST"));
        Assert.Equal(4, (await bot.Store.NoticesAsync(FeedbackNotifier.ReminderKind, null, Ct)).Count);
    }

    [Fact]
    public async Task A_throttled_reminder_is_retried_and_then_sent_once()
    {
        await using var bot = await StartAsync(new() { ["Bot:MaxShortRetryWait"] = "00:00:00.001" });
        await bot.InstallPersonalAsync(FeedbackBot.Aad(2), FeedbackBot.UserId(2));
        await bot.RecordSurveyJobsAsync("hr", [1, 2, 3, 4]);
        await bot.RecordSurveyJobsAsync("finance", [5, 6]);
        var notifier = bot.Services.GetRequiredService<FeedbackNotifier>();
        var before = bot.Teams.Calls.Count;
        bot.Teams.Enqueue(429, "{}", "120");

        bot.Time.Advance(TimeSpan.FromDays(10.5));
        // Passes until the released claim is taken again and delivered (the worker may run passes of its own meanwhile).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!(await bot.Store.NoticesAsync(FeedbackNotifier.ReminderKind, null, Ct)).Any(n => n.Target == FeedbackBot.Aad(2) && n.State == "sent")
               && DateTime.UtcNow < deadline)
        {
            await notifier.RunOnceAsync(Ct);
            await Task.Delay(25, Ct);
        }
        // Everyone the survey went to (hr 1-4, finance 5-6) is a non-responder here.
        var notices = await SettledAsync(bot, FeedbackNotifier.ReminderKind, 6);

        Assert.Equal("sent", notices.Single(n => n.Target == FeedbackBot.Aad(2)).State);
        var toUser = bot.CallsSince(before).Where(c => c.Path.Contains(FeedbackBot.Aad(2), StringComparison.Ordinal)).ToList();
        Assert.Equal(2, toUser.Count);   // the throttled attempt and the one delivered
    }

    [Fact]
    public async Task Leads_get_the_wave_summary_once_after_the_configured_days()
    {
        await using var bot = await StartAsync();
        await bot.InstallPersonalAsync(FeedbackBot.LeadAad, "29:lead", locale: "nl-NL");
        await bot.RecordSurveyJobsAsync("hr", [1, 2, 3, 4]);
        await bot.RecordSurveyJobsAsync("finance", [5, 6]);
        await bot.SubmitAsync(1, FeedbackBot.Answer(rating: "5"), "hr");
        var notifier = bot.Services.GetRequiredService<FeedbackNotifier>();
        var before = bot.Teams.Calls.Count;

        // Eleven days after delivery (eighteen after the plan's date): reminders, no summary yet (twelve days).
        bot.Time.Advance(TimeSpan.FromDays(11));
        await notifier.RunOnceAsync(Ct);
        await SettledAsync(bot, FeedbackNotifier.ReminderKind, 5);
        Assert.Empty(await bot.Store.NoticesAsync(FeedbackNotifier.SummaryKind, null, Ct));

        bot.Time.Advance(TimeSpan.FromDays(1.5));
        await notifier.RunOnceAsync(Ct);
        await notifier.RunOnceAsync(Ct);
        var notice = Assert.Single(await SettledAsync(bot, FeedbackNotifier.SummaryKind, 1));
        Assert.Equal(("sent", FeedbackBot.WaveId), (notice.State, notice.Scope));

        var summary = bot.CallsSince(before).Single(c => c.Path.Contains(FeedbackBot.LeadAad, StringComparison.Ordinal));
        var text = CardText.All(summary.Json!["attachments"]![0]!["content"]);
        Assert.Contains("Feedback op de registratie", text);
        Assert.Contains("Golf: Golf 1", text);
        Assert.Contains("1 van 16", text);
    }

    [Fact]
    public async Task Reminders_and_summaries_can_be_turned_off()
    {
        await using var bot = await StartAsync(new() { ["Feedback:ReminderAfterDays"] = "0", ["Feedback:SummaryAfterDays"] = "0" });
        await bot.InstallPersonalAsync(FeedbackBot.Aad(2), FeedbackBot.UserId(2));
        await bot.InstallPersonalAsync(FeedbackBot.LeadAad, "29:lead");
        await bot.RecordSurveyJobsAsync("hr", [2]);

        bot.Time.Advance(TimeSpan.FromDays(13));
        await bot.Services.GetRequiredService<FeedbackNotifier>().RunOnceAsync(Ct);

        Assert.Empty(await bot.Store.NoticesAsync(FeedbackNotifier.ReminderKind, null, Ct));
        Assert.Empty(await bot.Store.NoticesAsync(FeedbackNotifier.SummaryKind, null, Ct));
    }

    [Fact]
    public async Task A_survey_moved_earlier_is_reminded_from_its_actual_delivery()
    {
        // The plan says the survey goes out in 20 days; it went out now.
        await using var bot = await StartAsync(surveyAgeDays: -20);
        await bot.InstallPersonalAsync(FeedbackBot.Aad(2), FeedbackBot.UserId(2));
        await bot.InstallPersonalAsync(FeedbackBot.LeadAad, "29:lead");
        await bot.RecordSurveyJobsAsync("hr", [2]);
        var notifier = bot.Services.GetRequiredService<FeedbackNotifier>();

        bot.Time.Advance(TimeSpan.FromDays(9.5));
        await notifier.RunOnceAsync(Ct);
        Assert.Empty(await bot.Store.NoticesAsync(FeedbackNotifier.ReminderKind, null, Ct));

        bot.Time.Advance(TimeSpan.FromDays(1));
        await notifier.RunOnceAsync(Ct);
        Assert.Equal([(FeedbackBot.Aad(2), "sent")], (await SettledAsync(bot, FeedbackNotifier.ReminderKind, 1)).Select(n => (n.Target, n.State)));
        Assert.Empty(await bot.Store.NoticesAsync(FeedbackNotifier.SummaryKind, null, Ct));

        bot.Time.Advance(TimeSpan.FromDays(2));
        await notifier.RunOnceAsync(Ct);
        Assert.Equal("sent", Assert.Single(await SettledAsync(bot, FeedbackNotifier.SummaryKind, 1)).State);
    }

    [Fact]
    public async Task A_survey_moved_more_than_three_weeks_later_is_reminded_and_summarised_from_its_actual_delivery()
    {
        // The plan's survey date was seven days ago; the survey went out 22 days after that.
        await using var bot = await StartAsync();
        await bot.InstallPersonalAsync(FeedbackBot.Aad(2), FeedbackBot.UserId(2));
        await bot.InstallPersonalAsync(FeedbackBot.Aad(3), FeedbackBot.UserId(3));
        await bot.InstallPersonalAsync(FeedbackBot.LeadAad, "29:lead");
        var notifier = bot.Services.GetRequiredService<FeedbackNotifier>();
        var before = bot.Teams.Calls.Count;

        // When the plan's reminder and summary would have been due, nobody has received the survey: nothing goes out.
        bot.Time.Advance(TimeSpan.FromDays(5.5));
        await notifier.RunOnceAsync(Ct);
        bot.Time.Advance(TimeSpan.FromDays(16.5));
        await bot.RecordSurveyJobsAsync("hr", [2, 3]);
        await notifier.RunOnceAsync(Ct);
        Assert.Empty(await bot.Store.NoticesAsync(FeedbackNotifier.ReminderKind, null, Ct));
        Assert.Empty(await bot.Store.NoticesAsync(FeedbackNotifier.SummaryKind, null, Ct));
        Assert.DoesNotContain(bot.CallsSince(before), c => c.Method == "POST");

        bot.Time.Advance(TimeSpan.FromDays(10.5));
        await notifier.RunOnceAsync(Ct);
        Assert.Equal(new[] { (FeedbackBot.Aad(2), "sent"), (FeedbackBot.Aad(3), "sent") },
            (await SettledAsync(bot, FeedbackNotifier.ReminderKind, 2)).Select(n => (n.Target, n.State)).OrderBy(n => n.Target));
        Assert.Empty(await bot.Store.NoticesAsync(FeedbackNotifier.SummaryKind, null, Ct));

        bot.Time.Advance(TimeSpan.FromDays(2));
        await notifier.RunOnceAsync(Ct);
        var summary = Assert.Single(await SettledAsync(bot, FeedbackNotifier.SummaryKind, 1));
        Assert.Equal(("sent", FeedbackBot.WaveId), (summary.State, summary.Scope));
    }

    [Fact]
    public async Task A_wave_paused_across_the_reminder_date_reminds_after_it_is_resumed()
    {
        await using var bot = await StartAsync();
        await bot.InstallPersonalAsync(FeedbackBot.Aad(2), FeedbackBot.UserId(2));
        await bot.InstallPersonalAsync(FeedbackBot.Aad(3), FeedbackBot.UserId(3));
        await bot.RecordSurveyJobsAsync("hr", [2, 3]);
        // 3 answers (inbound tokens are checked against the fake clock, so before it moves on): no reminder for 3, paused or not.
        await bot.SubmitAsync(3, FeedbackBot.Answer(), "hr");
        var notifier = bot.Services.GetRequiredService<FeedbackNotifier>();
        var waves = bot.Services.GetRequiredService<IWaveControl>();

        bot.Time.Advance(TimeSpan.FromDays(9));
        Assert.Equal(WaveActionOutcome.Done, (await waves.PauseAsync(bot.Wave, FeedbackBot.LeadAad, Ct)).Outcome);
        bot.Time.Advance(TimeSpan.FromDays(2));
        await notifier.RunOnceAsync(Ct);
        Assert.Empty(await bot.Store.NoticesAsync(FeedbackNotifier.ReminderKind, null, Ct));

        Assert.Equal(WaveActionOutcome.Done, (await waves.ResumeAsync(bot.Wave, FeedbackBot.LeadAad, Ct)).Outcome);
        await notifier.RunOnceAsync(Ct);
        Assert.Equal([(FeedbackBot.Aad(2), "sent")], (await SettledAsync(bot, FeedbackNotifier.ReminderKind, 1)).Select(n => (n.Target, n.State)));
    }

    [Fact]
    public async Task A_cancelled_wave_gets_no_reminders_and_no_summary()
    {
        await using var bot = await StartAsync();
        await bot.InstallPersonalAsync(FeedbackBot.Aad(2), FeedbackBot.UserId(2));
        await bot.InstallPersonalAsync(FeedbackBot.LeadAad, "29:lead");
        await bot.RecordSurveyJobsAsync("hr", [2]);
        var notifier = bot.Services.GetRequiredService<FeedbackNotifier>();
        var before = bot.Teams.Calls.Count;

        bot.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(WaveActionOutcome.Done, (await bot.Services.GetRequiredService<IWaveControl>().CancelAsync(bot.Wave, FeedbackBot.LeadAad, Ct)).Outcome);
        bot.Time.Advance(TimeSpan.FromDays(12));
        await notifier.RunOnceAsync(Ct);
        await notifier.RunOnceAsync(Ct);

        Assert.Empty(await bot.Store.NoticesAsync(FeedbackNotifier.ReminderKind, null, Ct));
        Assert.Empty(await bot.Store.NoticesAsync(FeedbackNotifier.SummaryKind, null, Ct));
        Assert.DoesNotContain(bot.CallsSince(before), c => c.Method == "POST");
    }

    [Fact]
    public async Task A_survey_sent_early_with_send_now_reminds_the_people_it_went_to_from_that_send()
    {
        // The plan says the survey goes out in 20 days; a lead sends it to hr now.
        await using var bot = await StartAsync(surveyAgeDays: -20);
        await bot.InstallPersonalAsync(FeedbackBot.Aad(2), FeedbackBot.UserId(2));
        await bot.InstallPersonalAsync(FeedbackBot.Aad(5), FeedbackBot.UserId(5));
        var plan = bot.Services.GetRequiredService<PlanProvider>().Current!;
        var message = bot.Wave.EffectiveMessages.Single(m => m.Id == FeedbackBot.MessageId);
        Assert.True((await bot.Services.GetRequiredService<IWaveControl>().SendNowAsync("send-now-1", message, [plan.FindDepartment("hr")!], FeedbackBot.LeadAad, Ct)).Queued);
        await bot.RecordSurveyJobsAsync("hr", [1, 2]);
        var notifier = bot.Services.GetRequiredService<FeedbackNotifier>();

        bot.Time.Advance(TimeSpan.FromDays(9.5));
        await notifier.RunOnceAsync(Ct);
        Assert.Empty(await bot.Store.NoticesAsync(FeedbackNotifier.ReminderKind, null, Ct));

        bot.Time.Advance(TimeSpan.FromDays(1));
        await notifier.RunOnceAsync(Ct);
        // finance (5, who has the app) did not get the survey, so no reminder.
        Assert.Equal(new[] { (FeedbackBot.Aad(1), "no-conversation"), (FeedbackBot.Aad(2), "sent") },
            (await SettledAsync(bot, FeedbackNotifier.ReminderKind, 2)).Select(n => (n.Target, n.State)).OrderBy(n => n.Target));
    }

    [Fact]
    public async Task Nobody_is_reminded_of_a_survey_they_did_not_receive()
    {
        await using var bot = await StartAsync();
        foreach (var user in new[] { 2, 3, 4, 5 })
        {
            await bot.InstallPersonalAsync(FeedbackBot.Aad(user), FeedbackBot.UserId(user));
        }
        // 2 received it; delivery to 3 failed; 4 and finance's 5 never got a job.
        await bot.RecordSurveyJobsAsync("hr", [2]);
        await bot.RecordSurveyJobsAsync("hr", [3], DeliveryOutcome.BotBlocked);
        var notifier = bot.Services.GetRequiredService<FeedbackNotifier>();
        var before = bot.Teams.Calls.Count;

        bot.Time.Advance(TimeSpan.FromDays(10.5));
        await notifier.RunOnceAsync(Ct);
        await notifier.RunOnceAsync(Ct);

        Assert.Equal([(FeedbackBot.Aad(2), "sent")], (await SettledAsync(bot, FeedbackNotifier.ReminderKind, 1)).Select(n => (n.Target, n.State)));
        Assert.Single(bot.CallsSince(before), c => c.Method == "POST");
    }

    /// <summary>A feedback bot whose delivery engine does not run by itself: the tests record the survey's deliveries.</summary>
    private static Task<FeedbackBot> StartAsync(Dictionary<string, string?>? settings = null, int surveyAgeDays = FeedbackBot.SurveyAgeDays)
    {
        var all = new Dictionary<string, string?>(settings ?? []) { ["Delivery:Enabled"] = "false" };
        return FeedbackBot.StartAsync(sharePoint: false, all, surveyAgeDays: surveyAgeDays);
    }

    /// <summary>Waits until <paramref name="count"/> notices of a kind exist and none is still being sent.</summary>
    private static async Task<IReadOnlyList<FeedbackNotice>> SettledAsync(FeedbackBot bot, string kind, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var notices = await bot.Store.NoticesAsync(kind, null, Ct);
            if ((notices.Count == count && notices.All(n => n.State != "sending")) || DateTime.UtcNow > deadline)
            {
                Assert.Equal(count, notices.Count);
                Assert.All(notices, n => Assert.NotEqual("sending", n.State));
                return notices;
            }
            await Task.Delay(25, Ct);
        }
    }
}

internal static class FeedbackBotCalls
{
    public static List<TeamsRolloutBot.Fakes.ConnectorCall> CallsSince(this FeedbackBot bot, int before) => [.. bot.Teams.Calls.Skip(before)];
}
