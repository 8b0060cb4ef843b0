using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Tests.Infrastructure;

namespace TeamsRolloutBot.Tests.Feedback;

/// <summary>One reminder to each non-responder and the automatic summary to leads, on the (fake) clock.</summary>
public sealed class FeedbackNotifierTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Non_responders_get_one_reminder_after_the_delay_and_people_the_bot_cannot_reach_are_recorded()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);
        // hr: 1 answers; 2 and 3 have the app; 4 does not. finance: 5 answers, 6 does not have the app.
        await bot.InstallPersonalAsync(FeedbackBot.Aad(2), FeedbackBot.UserId(2));
        await bot.InstallPersonalAsync(FeedbackBot.Aad(3), FeedbackBot.UserId(3), locale: "nl-NL");
        await bot.InstallPersonalAsync(FeedbackBot.Aad(1), FeedbackBot.UserId(1));
        await bot.SubmitAsync(1, FeedbackBot.Answer(), "hr");
        await bot.SubmitAsync(5, FeedbackBot.Answer(), "finance");
        var notifier = bot.Services.GetRequiredService<FeedbackNotifier>();

        // Seven days after the survey: the reminder (ten days) is not due yet.
        await notifier.RunOnceAsync(Ct);
        Assert.Empty(await bot.Store.NoticesAsync(FeedbackNotifier.ReminderKind, null, Ct));

        var before = bot.Teams.Calls.Count;
        bot.Time.Advance(TimeSpan.FromDays(3.5));
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
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false,
            new() { ["Bot:MaxShortRetryWait"] = "00:00:00.001" });
        await bot.InstallPersonalAsync(FeedbackBot.Aad(2), FeedbackBot.UserId(2));
        var notifier = bot.Services.GetRequiredService<FeedbackNotifier>();
        var before = bot.Teams.Calls.Count;
        bot.Teams.Enqueue(429, "{}", "120");

        bot.Time.Advance(TimeSpan.FromDays(3.5));
        // Passes until the released claim is taken again and delivered (the worker may run passes of its own meanwhile).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!(await bot.Store.NoticesAsync(FeedbackNotifier.ReminderKind, null, Ct)).Any(n => n.Target == FeedbackBot.Aad(2) && n.State == "sent")
               && DateTime.UtcNow < deadline)
        {
            await notifier.RunOnceAsync(Ct);
            await Task.Delay(25, Ct);
        }
        // Everyone in the member lists (hr 1-4, finance 5-6) is a non-responder here.
        var notices = await SettledAsync(bot, FeedbackNotifier.ReminderKind, 6);

        Assert.Equal("sent", notices.Single(n => n.Target == FeedbackBot.Aad(2)).State);
        var toUser = bot.CallsSince(before).Where(c => c.Path.Contains(FeedbackBot.Aad(2), StringComparison.Ordinal)).ToList();
        Assert.Equal(2, toUser.Count);   // the throttled attempt and the one delivered
    }

    [Fact]
    public async Task Leads_get_the_wave_summary_once_after_the_configured_days()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);
        await bot.InstallPersonalAsync(FeedbackBot.LeadAad, "29:lead", locale: "nl-NL");
        await bot.SubmitAsync(1, FeedbackBot.Answer(rating: "5"), "hr");
        var notifier = bot.Services.GetRequiredService<FeedbackNotifier>();
        var before = bot.Teams.Calls.Count;

        bot.Time.Advance(TimeSpan.FromDays(4));
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
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false,
            new() { ["Feedback:ReminderAfterDays"] = "0", ["Feedback:SummaryAfterDays"] = "0" });
        await bot.InstallPersonalAsync(FeedbackBot.Aad(2), FeedbackBot.UserId(2));
        await bot.InstallPersonalAsync(FeedbackBot.LeadAad, "29:lead");

        bot.Time.Advance(TimeSpan.FromDays(8));
        await bot.Services.GetRequiredService<FeedbackNotifier>().RunOnceAsync(Ct);

        Assert.Empty(await bot.Store.NoticesAsync(FeedbackNotifier.ReminderKind, null, Ct));
        Assert.Empty(await bot.Store.NoticesAsync(FeedbackNotifier.SummaryKind, null, Ct));
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
