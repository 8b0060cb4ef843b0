using System.Text;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Feedback.Replies;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Tests.Feedback.Replies;

/// <summary>Thread replies next to the survey answers: the feedback summary card and the CSV export.</summary>
public sealed class ReplySummaryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_summary_and_the_export_count_the_stored_replies_and_their_problems_and_leave_deleted_ones_out()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);
        await ReplyActivities.TrackAsync(bot);
        var store = bot.Services.GetRequiredService<SqliteThreadReplyStore>();
        await bot.SubmitAsync(1, FeedbackBot.Answer(comment: "Prima"));
        await bot.PostAsync(ReplyActivities.Message(bot, ReplyActivities.Root, "1700000000701", "Werkte, maar de Company Portal vroeg drie keer mijn wachtwoord", user: 2));
        bot.Time.Advance(TimeSpan.FromMinutes(1));
        await bot.PostAsync(ReplyActivities.Message(bot, ReplyActivities.Root, "1700000000702", "MFA via de Authenticator lukte pas na herstart", user: 3));
        bot.Time.Advance(TimeSpan.FromMinutes(1));
        await bot.PostAsync(ReplyActivities.Message(bot, ReplyActivities.Root, "1700000000703", "Mijn wachtwoord werd niet geaccepteerd", user: 4));
        await bot.PostAsync(ReplyActivities.Message(bot, ReplyActivities.Root, "1700000000704", "Camera ziet IT nu mee?", user: 1));
        await bot.PostAsync(ReplyActivities.Message(bot, ReplyActivities.Root, "1700000000704", "", type: ThreadReplyHandler.MessageDelete, eventType: "softDeleteMessage"));

        var summaries = bot.Services.GetRequiredService<FeedbackSummaryService>();
        var summary = await summaries.ComputeAsync(FeedbackBot.WaveId, null, Ct);

        var stored = await store.ListAsync(FeedbackBot.WaveId, null, cancellationToken: Ct);
        Assert.Equal(3, stored.Count);
        Assert.NotNull(summary.Replies);
        Assert.Equal(stored.Count, summary.Replies.Count);
        Assert.Equal(1, summary.Responses);
        Assert.Equal([("Password", 2), ("Company Portal", 1), ("MFA", 1)], summary.Replies.Problems);
        Assert.Equal("1700000000703", summary.Replies.Recent[0].ReplyId);
        Assert.DoesNotContain(summary.Replies.Recent, r => r.ReplyId == "1700000000704");

        var text = CardText.All(summaries.Render(summary, "en"));
        Assert.Contains("Replies in the channel threads", text);
        Assert.Contains("“Mijn wachtwoord werd niet geaccepteerd”", text);
        Assert.DoesNotContain("Camera ziet IT", text);
        var nl = CardText.All(summaries.Render(summary, "nl"));
        Assert.Contains("Reacties in de kanaalthreads", nl);

        var export = await summaries.ExportAsync(Ct);
        Assert.Equal(4, export.Rows);
        var csv = Encoding.UTF8.GetString(export.Bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",feedback_type", csv[0], StringComparison.Ordinal);
        Assert.Equal(1, csv.Count(l => l.EndsWith(",survey", StringComparison.Ordinal)));
        Assert.Equal(3, csv.Count(l => l.EndsWith(",thread_reply", StringComparison.Ordinal)));
        Assert.Contains(csv, l => l.Contains("Werkte, maar de Company Portal vroeg drie keer mijn wachtwoord", StringComparison.Ordinal) && l.Contains(FeedbackBot.Aad(2), StringComparison.Ordinal));
        Assert.DoesNotContain(csv, l => l.Contains("Camera", StringComparison.Ordinal));
    }
}

public sealed class ReplyProblemConfigTests
{
    [Fact]
    public async Task Configured_keyword_lists_replace_the_defaults()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false, settings: new()
        {
            ["Feedback:ThreadReplies:Problems:VPN:0"] = "vpn",
            ["Feedback:ThreadReplies:Problems:VPN:1"] = "tunnel",
        });
        await ReplyActivities.TrackAsync(bot);
        await bot.PostAsync(ReplyActivities.Message(bot, ReplyActivities.Root, "1700000000801", "De tunnel en mijn wachtwoord werken niet"));

        var figures = await bot.Services.GetRequiredService<ThreadReplySummary>().ComputeAsync(null, null, TestContext.Current.CancellationToken);

        Assert.Equal([("VPN", 1)], figures.Problems);
    }
}
