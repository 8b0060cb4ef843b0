using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Feedback.Replies;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Tests.Feedback.Replies;

/// <summary>Replies in tracked threads arrive live (RSC): stored once, silently; everything else left alone.</summary>
public sealed class LiveThreadReplyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_reply_in_a_tracked_thread_is_stored_as_feedback_without_a_mention_and_without_an_answer()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);
        await ReplyActivities.TrackAsync(bot);
        var store = bot.Services.GetRequiredService<SqliteThreadReplyStore>();

        var (status, _) = await bot.PostAsync(ReplyActivities.Message(bot, ReplyActivities.Root, "1700000000101",
            "<p>Werkte, maar <at>Jan</at> de Company Portal vroeg drie keer mijn wachtwoord <emoji id=\"sad\" alt=\"😞\" title=\"Sad\"></emoji></p>", user: 2));

        Assert.Equal(200, status);
        var reply = await store.FindAsync("1700000000101", Ct);
        Assert.NotNull(reply);
        Assert.Equal("Werkte, maar @Jan de Company Portal vroeg drie keer mijn wachtwoord 😞", reply.Text);
        Assert.Equal(FeedbackBot.Aad(2), reply.AuthorAadObjectId);
        Assert.Equal("User 2", reply.AuthorName);
        Assert.Equal(("hr", FeedbackBot.WaveId, FeedbackBot.MessageId), (reply.DepartmentId, reply.WaveId, reply.MessageId));
        Assert.Equal(ReplySource.Live, reply.Source);
        Assert.Null(reply.DeletedAt);
        // No noise in the thread: the bot answered nothing.
        await Task.Delay(200, Ct);
        Assert.DoesNotContain(bot.Teams.Calls, c => c.Path.Contains("hr-rollout", StringComparison.Ordinal));
        // The team's Entra group id (needed for the Graph catch-up) is learnt from the reply.
        Assert.Equal(ReplyActivities.TeamGroup, (await store.FindRootAsync(ReplyActivities.Root, Ct))!.TeamAadGroupId);
    }

    [Fact]
    public async Task The_same_reply_redelivered_is_one_record_an_edit_keeps_the_previous_text_and_a_delete_leaves_it_out()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);
        await ReplyActivities.TrackAsync(bot);
        var store = bot.Services.GetRequiredService<SqliteThreadReplyStore>();
        const string id = "1700000000102";

        await bot.PostAsync(ReplyActivities.Message(bot, ReplyActivities.Root, id, "MFA werkte niet"));
        var again = ReplyActivities.Message(bot, ReplyActivities.Root, id, "MFA werkte niet");
        again["id"] = id;
        await bot.PostAsync(again);
        Assert.Single(await store.ListAsync(cancellationToken: Ct));

        bot.Time.Advance(TimeSpan.FromMinutes(5));
        await bot.PostAsync(ReplyActivities.Message(bot, ReplyActivities.Root, id, "MFA werkte na herstart wel", type: ThreadReplyHandler.MessageUpdate, eventType: "editMessage"));
        var edited = await store.FindAsync(id, Ct);
        Assert.Equal("MFA werkte na herstart wel", edited!.Text);
        Assert.Equal(2, edited.Version);
        var history = await store.HistoryAsync(id, Ct);
        Assert.Equal("MFA werkte niet", Assert.Single(history).Text);

        await bot.PostAsync(ReplyActivities.Message(bot, ReplyActivities.Root, id, "", type: ThreadReplyHandler.MessageDelete, eventType: "softDeleteMessage"));
        Assert.NotNull((await store.FindAsync(id, Ct))!.DeletedAt);
        Assert.Empty(await store.ListAsync(cancellationToken: Ct));
        Assert.Single(await store.ListAsync(includeDeleted: true, cancellationToken: Ct));
    }

    [Fact]
    public async Task Replies_in_untracked_threads_and_top_level_chatter_are_neither_stored_nor_answered_nor_logged()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);
        await ReplyActivities.TrackAsync(bot);
        var logs = new CollectingLoggerProvider();
        await using var app = await bot.Bot.StartSecondInstanceAsync(b => b.WithServices(s => s.AddSingleton<ILoggerProvider>(logs)));
        var store = app.Services.GetRequiredService<SqliteThreadReplyStore>();

        async Task PostAsync(System.Text.Json.Nodes.JsonObject activity) => Assert.Equal(200, (await app.PostAsync(activity)).Status);

        // A reply under someone else's post, and a new top-level post (its conversation id names its own id).
        await PostAsync(ReplyActivities.Message(bot, "1699999999999", "1700000000201", "Geheim: lunch om 12 uur"));
        await PostAsync(ReplyActivities.Message(bot, "1700000000202", "1700000000202", "Wie heeft de sleutel van de vergaderzaal"));
        // An edit and a delete outside tracked threads.
        await PostAsync(ReplyActivities.Message(bot, "1699999999999", "1700000000201", "Geheim: lunch om 13 uur", type: ThreadReplyHandler.MessageUpdate, eventType: "editMessage"));
        await PostAsync(ReplyActivities.Message(bot, "1699999999999", "1700000000201", "", type: ThreadReplyHandler.MessageDelete, eventType: "softDeleteMessage"));

        Assert.Empty(await store.ListAsync(includeDeleted: true, cancellationToken: Ct));
        Assert.Null(await store.FindRootAsync("1699999999999", Ct));
        await Task.Delay(200, Ct);
        Assert.DoesNotContain(bot.Teams.Calls, c => c.Path.Contains("hr-rollout", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Records, r => r.Message.Contains("Geheim", StringComparison.Ordinal) || r.Message.Contains("sleutel", StringComparison.Ordinal)
            || r.Message.Contains("User 1", StringComparison.Ordinal) || r.Message.Contains(FeedbackBot.Aad(1), StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Records, r => r.Message.Contains("1699999999999", StringComparison.Ordinal) || r.Message.Contains("170000000020", StringComparison.Ordinal));
        // The logger was live: the app did log its start-up.
        Assert.NotEmpty(logs.Records);
    }

    [Fact]
    public async Task An_at_mention_in_a_tracked_thread_still_runs_a_command_and_is_not_stored_as_feedback()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);
        await ReplyActivities.TrackAsync(bot);
        var store = bot.Services.GetRequiredService<SqliteThreadReplyStore>();

        await bot.PostAsync(ReplyActivities.Message(bot, ReplyActivities.Root, "1700000000301", "help", mentionBot: true));

        var calls = await bot.Teams.WaitForCallsAsync(1);
        Assert.Contains(calls, c => c.Path.Contains("hr-rollout", StringComparison.Ordinal));
        Assert.Null(await store.FindAsync("1700000000301", Ct));
    }

    [Fact]
    public async Task A_restart_between_the_live_reply_and_the_catch_up_loses_nothing_and_the_start_up_catch_up_stores_each_reply_once()
    {
        await using var graph = await FakeGraph.StartAsync();
        var database = Path.Combine(Path.GetTempPath(), "trb-tests", Guid.NewGuid().ToString("N"), "rollout.db");
        var settings = new Dictionary<string, string?>
        {
            ["Storage:SqlitePath"] = database,
            // The interval is far away: only the start-up catch-up can collect what was sent while the bot was down.
            ["Feedback:ThreadReplies:CatchUpInterval"] = "06:00:00",
        };
        DateTimeOffset created;
        await using (var first = await FeedbackBot.StartAsync(settings: settings, sharedGraph: graph))
        {
            graph.ChannelMessages.Replies[ReplyActivities.Root] = [];
            await ReplyActivities.TrackAsync(first, group: ReplyActivities.TeamGroup);
            // The thread was read (empty) just before; its next interval is six hours away.
            await first.Services.GetRequiredService<ThreadReplyCatchUp>().RunOnceAsync(Ct);
            created = first.Time.GetUtcNow();
            await first.PostAsync(ReplyActivities.Message(first, ReplyActivities.Root, "1700000000401", "Camera werkt niet meer na inschrijven"));
        }
        // While the bot is down: Graph has the live reply and a new one the bot never received.
        graph.ChannelMessages.Replies[ReplyActivities.Root] =
        [
            ChannelMessageRoutes.Message("1700000000401", FeedbackBot.Aad(1), "User 1", "<p>Camera werkt niet meer na inschrijven</p>", created),
            ChannelMessageRoutes.Message("1700000000402", FeedbackBot.Aad(3), "User 3", "<p>Certificaat ontbreekt</p>", created.AddMinutes(2)),
        ];
        var readsBefore = graph.Calls.Count(c => c.Path.EndsWith("/replies", StringComparison.Ordinal));

        await using var second = await FeedbackBot.StartAsync(settings: settings, sharedGraph: graph);
        var store = second.Services.GetRequiredService<SqliteThreadReplyStore>();
        // The interval alone would not read this thread now.
        Assert.Empty(await store.DueForPollAsync(second.Time.GetUtcNow(), Ct));
        // The clock is never advanced: only the worker's start-up pass can bring the missing reply.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await store.FindAsync("1700000000402", Ct) is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Ct);
        }

        var all = await store.ListAsync(cancellationToken: Ct);
        Assert.Equal(["1700000000401", "1700000000402"], all.Select(r => r.ReplyId).Order());
        Assert.Equal(ReplySource.Live, all.Single(r => r.ReplyId == "1700000000401").Source);
        Assert.Equal(1, all.Single(r => r.ReplyId == "1700000000401").Version);
        Assert.Equal(("Certificaat ontbreekt", ReplySource.Graph), (all.Single(r => r.ReplyId == "1700000000402").Text, all.Single(r => r.ReplyId == "1700000000402").Source));
        Assert.Equal(readsBefore + 1, graph.Calls.Count(c => c.Path.EndsWith("/replies", StringComparison.Ordinal)));
        // And each reply is one item in the SharePoint list.
        await second.Services.GetRequiredService<TeamsRolloutBot.Feedback.FeedbackSync>().RunOnceAsync(Ct);
        Assert.Equal(["1700000000401", "1700000000402"], graph.SharePoint.Items.Values.Select(i => (string)i["ReplyId"]!).Order());
    }
}
