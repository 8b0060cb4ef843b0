using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Feedback.Replies;
using TeamsRolloutBot.Tests.Infrastructure;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Tests.Feedback.Replies;

/// <summary>The Graph catch-up against a fake Graph on loopback: paging, HTML, edits, deletes, throttling and outages.</summary>
public sealed class CatchUpTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(FeedbackBot Bot, FakeGraph Graph)> StartAsync()
    {
        var graph = await FakeGraph.StartAsync();
        graph.ChannelMessages.PageSize = 2;
        var bot = await FeedbackBot.StartAsync(sharePoint: false, settings: new()
        {
            ["Graph:BaseUrl"] = graph.BaseUrl,
            ["Feedback:ThreadReplies:CatchUpEnabled"] = "false",
            ["Feedback:ThreadReplies:CatchUpInterval"] = "00:30:00",
        });
        await ReplyActivities.TrackAsync(bot, group: ReplyActivities.TeamGroup);
        return (bot, graph);
    }

    private static void Seed(FakeGraph graph, DateTimeOffset t0) => graph.ChannelMessages.Replies[ReplyActivities.Root] =
    [
        ChannelMessageRoutes.Message("1700000000501", FeedbackBot.Aad(1), "User 1",
            "<p><at id=\"0\">Rollout</at> gelukt <emoji id=\"1f44d_thumbsup\" alt=\"👍\" title=\"Thumbs up\"></emoji></p>", t0),
        ChannelMessageRoutes.Message("1700000000502", FeedbackBot.Aad(2), "User 2",
            "<p>De Company Portal vroeg <b>drie keer</b> om mijn wachtwoord</p>", t0.AddMinutes(1), edited: t0.AddMinutes(9)),
        ChannelMessageRoutes.Message("1700000000503", FeedbackBot.Aad(3), "User 3", "<p>oeps</p>", t0.AddMinutes(2), deleted: t0.AddMinutes(3)),
        new() { ["id"] = "1700000000504", ["messageType"] = "systemEventMessage", ["createdDateTime"] = t0.ToString("O"), ["body"] = new System.Text.Json.Nodes.JsonObject { ["contentType"] = "html", ["content"] = "<systemEventMessage/>" } },
        ChannelMessageRoutes.Message("1700000000505", FeedbackBot.Aad(4), "User 4", "MFA-melding kwam niet binnen", t0.AddMinutes(4)),
    ];

    [Fact]
    public async Task Replies_are_read_page_by_page_after_a_429_and_a_503_and_stored_with_edits_and_deletions()
    {
        var (bot, graph) = await StartAsync();
        await using var _ = bot;
        await using var __ = graph;
        var t0 = bot.Time.GetUtcNow().AddHours(-2);
        Seed(graph, t0);
        var catchUp = bot.Services.GetRequiredService<ThreadReplyCatchUp>();
        var store = bot.Services.GetRequiredService<SqliteThreadReplyStore>();

        graph.Faults.Next(429, retryAfterSeconds: 120);
        var first = await catchUp.RunOnceAsync(Ct);
        Assert.Equal(1, first.Failed);
        Assert.Empty(await store.ListAsync(includeDeleted: true, cancellationToken: Ct));
        // Retry-After is honoured: nothing is asked before it runs out.
        bot.Time.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal(0, (await catchUp.RunOnceAsync(Ct)).Roots);
        Assert.Single(graph.Calls);

        bot.Time.Advance(TimeSpan.FromSeconds(21));
        // A 503 without Retry-After is retried in the request (three times, short backoff); still 503, the root waits for its backoff.
        for (var i = 0; i < 4; i++)
        {
            graph.Faults.Next(503);
        }
        Assert.Equal(1, (await catchUp.RunOnceAsync(Ct)).Failed);
        bot.Time.Advance(TimeSpan.FromMinutes(2));
        var done = await catchUp.RunOnceAsync(Ct);

        Assert.Equal((0, 3, 1), (done.Failed, done.Added, done.Deleted));
        var calls = graph.Calls.ToList();
        Assert.Equal(8, calls.Count); // 429, 503 and its three retries, then pages 1, 2 and 3 (five replies, two a page)
        Assert.All(calls, c => Assert.Equal($"/v1.0/teams/{ReplyActivities.TeamGroup}/channels/{ReplyActivities.Channel}/messages/{ReplyActivities.Root}/replies", c.Path));
        Assert.All(calls, c => Assert.StartsWith("?$top=50", c.Query, StringComparison.Ordinal));
        Assert.All(calls, c => Assert.Equal("Bearer " + TestBot.OutboundToken, c.Authorization));

        var replies = await store.ListAsync(cancellationToken: Ct);
        Assert.Equal(["1700000000501", "1700000000502", "1700000000505"], replies.Select(r => r.ReplyId).Order());
        Assert.Equal("@Rollout gelukt 👍", replies.Single(r => r.ReplyId == "1700000000501").Text);
        var edited = replies.Single(r => r.ReplyId == "1700000000502");
        Assert.Equal("De Company Portal vroeg drie keer om mijn wachtwoord", edited.Text);
        Assert.Equal((t0.AddMinutes(1), t0.AddMinutes(9)), (edited.CreatedAt, edited.ModifiedAt));
        Assert.All(replies, r => Assert.Equal((ReplySource.Graph, "hr", FeedbackBot.WaveId), (r.Source, r.DepartmentId, r.WaveId)));
        Assert.Equal(FeedbackBot.Aad(4), replies.Single(r => r.ReplyId == "1700000000505").AuthorAadObjectId);
        Assert.NotNull((await store.FindAsync("1700000000503", Ct))!.DeletedAt);

        // Nothing new: the next pass changes nothing, and an edit made later in Teams is picked up with the old text kept.
        graph.ChannelMessages.Replies[ReplyActivities.Root][4] = ChannelMessageRoutes.Message("1700000000505", FeedbackBot.Aad(4), "User 4", "MFA-melding kwam na 10 minuten", t0.AddMinutes(4), edited: t0.AddMinutes(30));
        bot.Time.Advance(TimeSpan.FromMinutes(31));
        var again = await catchUp.RunOnceAsync(Ct);
        Assert.Equal((0, 1, 0), (again.Added, again.Edited, again.Deleted));
        Assert.Equal("MFA-melding kwam niet binnen", Assert.Single(await store.HistoryAsync("1700000000505", Ct)).Text);
    }

    [Fact]
    public async Task A_reply_that_arrived_live_and_again_by_catch_up_is_stored_once()
    {
        var (bot, graph) = await StartAsync();
        await using var _ = bot;
        await using var __ = graph;
        var store = bot.Services.GetRequiredService<SqliteThreadReplyStore>();
        var now = bot.Time.GetUtcNow();
        await bot.PostAsync(ReplyActivities.Message(bot, ReplyActivities.Root, "1700000000601", "<p>Certificaat fout <at>Jan</at></p>"));
        graph.ChannelMessages.Replies[ReplyActivities.Root] = [ChannelMessageRoutes.Message("1700000000601", FeedbackBot.Aad(1), "User 1", "<p>Certificaat fout <at id=\"0\">Jan</at></p>", now)];

        var result = await bot.Services.GetRequiredService<ThreadReplyCatchUp>().RunOnceAsync(Ct);

        Assert.Equal((1, 0, 0), (result.Roots, result.Added, result.Edited));
        var reply = Assert.Single(await store.ListAsync(cancellationToken: Ct));
        Assert.Equal(("Certificaat fout @Jan", ReplySource.Live), (reply.Text, reply.Source));
    }

    [Fact]
    public async Task An_unedited_Graph_copy_whose_markup_renders_differently_is_not_taken_for_an_edit()
    {
        var (bot, graph) = await StartAsync();
        await using var _ = bot;
        await using var __ = graph;
        var store = bot.Services.GetRequiredService<SqliteThreadReplyStore>();
        var now = bot.Time.GetUtcNow();
        await bot.PostAsync(ReplyActivities.Message(bot, ReplyActivities.Root, "1700000000611", "Werkt :)"));
        graph.ChannelMessages.Replies[ReplyActivities.Root] = [ChannelMessageRoutes.Message("1700000000611", FeedbackBot.Aad(1), "User 1",
            "<p>Werkt <emoji id=\"smile\" alt=\"🙂\" title=\"Smile\"></emoji></p>", now.AddSeconds(1))];

        var result = await bot.Services.GetRequiredService<ThreadReplyCatchUp>().RunOnceAsync(Ct);

        Assert.Equal((0, 0), (result.Added, result.Edited));
        Assert.Equal(("Werkt :)", 1), ((await store.FindAsync("1700000000611", Ct))!.Text, (await store.FindAsync("1700000000611", Ct))!.Version));
        Assert.Empty(await store.HistoryAsync("1700000000611", Ct));
    }

    [Fact]
    public async Task Threads_past_their_feedback_window_and_teams_without_a_known_group_id_are_not_read()
    {
        var (bot, graph) = await StartAsync();
        await using var _ = bot;
        await using var __ = graph;
        await ReplyActivities.TrackAsync(bot, root: "1600000000000");
        bot.Time.Advance(TimeSpan.FromDays(29));

        var result = await bot.Services.GetRequiredService<ThreadReplyCatchUp>().RunOnceAsync(Ct);

        Assert.Equal(0, result.Roots);
        Assert.Empty(graph.Calls);
    }
}
