using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Graph;
using TeamsRolloutBot.Feedback.Replies;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Tests.Feedback.Replies;

/// <summary>
/// Thread replies in the SharePoint list: through the same durable copy queue as survey answers, one item per reply
/// (FeedbackKind "Thread reply"), edits and deletions reflected in that item, nothing lost or doubled while Graph is down.
/// </summary>
public sealed class ReplySharePointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<FeedbackBot> StartAsync(Dictionary<string, string?>? extra = null, FakeGraph? graph = null)
    {
        var settings = new Dictionary<string, string?>
        {
            // The tests run the catch-up themselves; the worker's start-up pass is the subject of its own test.
            ["Feedback:ThreadReplies:CatchUpEnabled"] = "false",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }
        var bot = await FeedbackBot.StartAsync(settings: settings, sharedGraph: graph);
        await ReplyActivities.TrackAsync(bot, group: ReplyActivities.TeamGroup);
        return bot;
    }

    private static List<KeyValuePair<string, JsonObject>> ReplyItems(FakeGraph graph) =>
        [.. graph.SharePoint.Items.Where(i => (string?)i.Value[FeedbackListSchema.KindColumn] == FeedbackListSchema.KindThreadReply)];

    private static JsonObject ItemOf(FakeGraph graph, string replyId) =>
        Assert.Single(graph.SharePoint.Items.Values, i => (string?)i["ReplyId"] == replyId);

    [Fact]
    public async Task A_live_reply_and_a_catch_up_reply_each_become_exactly_one_list_item_of_kind_thread_reply()
    {
        await using var bot = await StartAsync();
        var created = bot.Time.GetUtcNow();
        await bot.PostAsync(ReplyActivities.Message(bot, ReplyActivities.Root, "1700000000701", "<p>Company Portal vroeg drie keer mijn wachtwoord</p>", user: 2));
        await bot.SubmitAsync(1, FeedbackBot.Answer(rating: "4"));
        // Graph serves the live reply again, and one the bot did not receive live.
        bot.Graph.ChannelMessages.Replies[ReplyActivities.Root] =
        [
            ChannelMessageRoutes.Message("1700000000701", FeedbackBot.Aad(2), "User 2", "<p>Company Portal vroeg drie keer mijn wachtwoord</p>", created),
            ChannelMessageRoutes.Message("1700000000702", FeedbackBot.Aad(3), "User 3", "<p>Camera-toegang? <emoji id=\"1f914\" alt=\"🤔\" title=\"\"></emoji></p>", created.AddMinutes(1)),
        ];

        await bot.Services.GetRequiredService<ThreadReplyCatchUp>().RunOnceAsync(Ct);
        await bot.SyncAsync();
        // Another catch-up and copy pass: nothing new, nothing doubled.
        bot.Time.Advance(TimeSpan.FromMinutes(31));
        await bot.Services.GetRequiredService<ThreadReplyCatchUp>().RunOnceAsync(Ct);
        await bot.SyncAsync();

        Assert.Equal(3, bot.Graph.SharePoint.Items.Count);
        Assert.Equal(3, bot.Graph.CallsTo("POST", "/items").Count);
        Assert.Equal(2, ReplyItems(bot.Graph).Count);
        var live = ItemOf(bot.Graph, "1700000000701");
        Assert.Equal(FeedbackListSchema.KindThreadReply, (string)live[FeedbackListSchema.KindColumn]!);
        Assert.Equal("Company Portal vroeg drie keer mijn wachtwoord", (string)live["Comment"]!);
        Assert.Equal(("User 2", FeedbackBot.Aad(2)), ((string)live["Respondent"]!, (string)live["RespondentId"]!));
        Assert.Equal(("hr", FeedbackBot.WaveId, FeedbackBot.MessageId), ((string)live["DepartmentId"]!, (string)live["WaveId"]!, (string)live["SurveyId"]!));
        Assert.Equal("thread-reply:1700000000701", (string)live[SharePointListClient.CorrelationColumn]!);
        Assert.False((bool)live["Deleted"]!);
        Assert.Null(live["Rating"]);
        var caughtUp = ItemOf(bot.Graph, "1700000000702");
        Assert.Equal("Camera-toegang? 🤔", (string)caughtUp["Comment"]!);
        Assert.Equal(created.AddMinutes(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), (string)caughtUp["SubmittedAt"]!);
        var survey = Assert.Single(bot.Graph.SharePoint.Items.Values, i => (string?)i[FeedbackListSchema.KindColumn] == FeedbackListSchema.KindSurvey);
        Assert.Equal(4, (int)survey["Rating"]!);
        // The CSV names each reply's list item.
        var csv = System.Text.Encoding.UTF8.GetString(await bot.Services.GetRequiredService<FeedbackSummaryService>().ExportCsvAsync(Ct)).Split("\r\n");
        var liveKey = bot.Graph.SharePoint.Items.Single(i => (string?)i.Value["ReplyId"] == "1700000000701").Key;
        Assert.Contains(csv, l => l.Contains("Company Portal vroeg drie keer mijn wachtwoord", StringComparison.Ordinal) && l.EndsWith($",{liveKey},true,thread_reply", StringComparison.Ordinal));
        // The summary's SharePoint line counts replies and answers together.
        var summary = await bot.Services.GetRequiredService<FeedbackSummaryService>().ComputeAsync(null, null, Ct);
        Assert.Equal(new SyncCounts(3, 0, 0), summary.Sync);
    }

    [Fact]
    public async Task An_edit_updates_the_reply_item_and_a_delete_marks_it_deleted_and_removes_its_text()
    {
        await using var bot = await StartAsync();
        const string id = "1700000000711";
        await bot.PostAsync(ReplyActivities.Message(bot, ReplyActivities.Root, id, "MFA-melding kwam niet"));
        await bot.SyncAsync();
        var itemId = Assert.Single(bot.Graph.SharePoint.Items).Key;

        bot.Time.Advance(TimeSpan.FromMinutes(5));
        await bot.PostAsync(ReplyActivities.Message(bot, ReplyActivities.Root, id, "MFA-melding kwam na 10 minuten", type: ThreadReplyHandler.MessageUpdate, eventType: "editMessage"));
        await bot.SyncAsync();

        var edited = Assert.Single(bot.Graph.SharePoint.Items);
        Assert.Equal(itemId, edited.Key);
        Assert.Equal("MFA-melding kwam na 10 minuten", (string)edited.Value["Comment"]!);
        Assert.Equal(2, (int)edited.Value["AnswerVersion"]!);
        Assert.Single(bot.Graph.CallsTo("PATCH", $"/items/{itemId}/fields"));

        bot.Time.Advance(TimeSpan.FromMinutes(5));
        await bot.PostAsync(ReplyActivities.Message(bot, ReplyActivities.Root, id, "", type: ThreadReplyHandler.MessageDelete, eventType: "softDeleteMessage"));
        await bot.SyncAsync();

        var deleted = Assert.Single(bot.Graph.SharePoint.Items);
        Assert.Equal(itemId, deleted.Key);
        Assert.True((bool)deleted.Value["Deleted"]!);
        Assert.Equal("", (string)deleted.Value["Comment"]!);
        Assert.Equal(FeedbackListSchema.KindThreadReply, (string)deleted.Value[FeedbackListSchema.KindColumn]!);
        Assert.Single(bot.Graph.CallsTo("POST", "/items"));
        var sync = await bot.Services.GetRequiredService<SqliteThreadReplyStore>().FindSyncAsync(id, Ct);
        Assert.Equal((itemId, 3, 0), (sync!.ItemId, sync.Generation, sync.Attempts));
        Assert.Equal((1, 0, 0), await bot.Services.GetRequiredService<SqliteThreadReplyStore>().SyncCountsAsync(Ct));
    }

    [Fact]
    public async Task An_edit_and_a_deletion_found_by_the_catch_up_reach_the_list_item_too()
    {
        await using var bot = await StartAsync();
        var t0 = bot.Time.GetUtcNow().AddMinutes(-30);
        var catchUp = bot.Services.GetRequiredService<ThreadReplyCatchUp>();
        bot.Graph.ChannelMessages.Replies[ReplyActivities.Root] =
        [
            ChannelMessageRoutes.Message("1700000000721", FeedbackBot.Aad(1), "User 1", "<p>Certificaat ontbreekt</p>", t0),
            ChannelMessageRoutes.Message("1700000000722", FeedbackBot.Aad(2), "User 2", "<p>Per ongeluk</p>", t0.AddMinutes(1)),
        ];
        await catchUp.RunOnceAsync(Ct);
        await bot.SyncAsync();
        Assert.Equal(2, bot.Graph.SharePoint.Items.Count);

        bot.Graph.ChannelMessages.Replies[ReplyActivities.Root] =
        [
            ChannelMessageRoutes.Message("1700000000721", FeedbackBot.Aad(1), "User 1", "<p>Certificaat ontbreekt, na herstart gelukt</p>", t0, edited: t0.AddMinutes(40)),
            ChannelMessageRoutes.Message("1700000000722", FeedbackBot.Aad(2), "User 2", "", t0.AddMinutes(1), deleted: t0.AddMinutes(41)),
        ];
        bot.Time.Advance(TimeSpan.FromMinutes(31));
        await catchUp.RunOnceAsync(Ct);
        await bot.SyncAsync();

        Assert.Equal(2, bot.Graph.SharePoint.Items.Count);
        Assert.Equal(2, bot.Graph.CallsTo("POST", "/items").Count);
        Assert.Equal("Certificaat ontbreekt, na herstart gelukt", (string)ItemOf(bot.Graph, "1700000000721")["Comment"]!);
        Assert.True((bool)ItemOf(bot.Graph, "1700000000722")["Deleted"]!);
    }

    [Fact]
    public async Task While_Graph_is_down_replies_are_kept_and_after_recovery_each_becomes_exactly_one_item()
    {
        await using var bot = await StartAsync();
        await bot.SyncAsync();   // column check done first
        bot.Graph.Faults.Down(503, 120);

        await bot.PostAsync(ReplyActivities.Message(bot, ReplyActivities.Root, "1700000000731", "Wachtwoord drie keer gevraagd"));
        await bot.PostAsync(ReplyActivities.Message(bot, ReplyActivities.Root, "1700000000732", "Per ongeluk geplaatst"));
        await bot.SyncAsync();
        // Deleted before it ever reached the list: it never appears there.
        await bot.PostAsync(ReplyActivities.Message(bot, ReplyActivities.Root, "1700000000732", "", type: ThreadReplyHandler.MessageDelete, eventType: "softDeleteMessage"));
        await bot.SyncAsync();

        Assert.Empty(bot.Graph.SharePoint.Items);
        var store = bot.Services.GetRequiredService<SqliteThreadReplyStore>();
        var waiting = await store.SyncCountsAsync(Ct);
        Assert.Equal(0, waiting.Synced);
        Assert.True(waiting.Failing >= 1);
        Assert.NotNull((await store.FindSyncAsync("1700000000731", Ct))!.LastError);

        // Retry-After is honoured: 60 s later nothing is tried, even with Graph back.
        bot.Graph.Faults.Up();
        var before = bot.Graph.Calls.Count;
        bot.Time.Advance(TimeSpan.FromSeconds(60));
        await bot.SyncAsync();
        Assert.Equal(before, bot.Graph.Calls.Count);

        // The first POST reaches SharePoint but its response is lost: found again by correlation id, not created twice.
        bot.Graph.Faults.LoseResponse("POST", "/items");
        var postsWhileDown = bot.Graph.CallsTo("POST", "/items").Count;
        bot.Time.Advance(TimeSpan.FromMinutes(5));
        await bot.SyncAsync();
        bot.Time.Advance(TimeSpan.FromMinutes(5));
        await bot.SyncAsync();

        var item = Assert.Single(bot.Graph.SharePoint.Items);
        Assert.Equal("1700000000731", (string)item.Value["ReplyId"]!);
        Assert.Equal(postsWhileDown + 1, bot.Graph.CallsTo("POST", "/items").Count);
        Assert.Contains(bot.Graph.Calls, c => c.Method == "GET" && c.Query.Contains("eq 'thread-reply:1700000000731'", StringComparison.Ordinal));
        Assert.Equal(item.Key, (await store.FindSyncAsync("1700000000731", Ct))!.ItemId);
        Assert.Equal((2, 0, 0), await store.SyncCountsAsync(Ct));
    }

    [Fact]
    public async Task A_POST_that_times_out_after_SharePoint_created_the_item_is_found_again_and_not_created_twice()
    {
        await using var bot = await StartAsync(new() { ["Graph:Timeout"] = "00:00:01" });
        await bot.SyncAsync();
        bot.Graph.Faults.SlowResponse("POST", "/items", TimeSpan.FromSeconds(30));

        await bot.PostAsync(ReplyActivities.Message(bot, ReplyActivities.Root, "1700000000761", "Company Portal bleef hangen"));
        await bot.SyncAsync();
        var store = bot.Services.GetRequiredService<SqliteThreadReplyStore>();
        var waiting = await store.FindSyncAsync("1700000000761", Ct);
        Assert.Equal((null, true), (waiting!.ItemId, waiting.PostStarted));
        Assert.Contains("timed out", waiting.LastError, StringComparison.Ordinal);

        bot.Time.Advance(TimeSpan.FromMinutes(2));
        await bot.SyncAsync();

        var item = Assert.Single(bot.Graph.SharePoint.Items);
        Assert.Single(bot.Graph.CallsTo("POST", "/items"));
        Assert.Equal(item.Key, (await store.FindSyncAsync("1700000000761", Ct))!.ItemId);
        Assert.Equal((1, 0, 0), await store.SyncCountsAsync(Ct));
    }

    [Fact]
    public async Task A_429_on_a_reply_waits_for_its_Retry_After_and_the_reply_is_then_copied_once()
    {
        await using var bot = await StartAsync();
        await bot.SyncAsync();
        bot.Graph.Faults.Next(429, retryAfterSeconds: 300);

        await bot.PostAsync(ReplyActivities.Message(bot, ReplyActivities.Root, "1700000000741", "VPN-certificaat ontbreekt"));
        await bot.SyncAsync();
        Assert.Empty(bot.Graph.SharePoint.Items);

        bot.Time.Advance(TimeSpan.FromSeconds(299));
        await bot.SyncAsync();
        Assert.Empty(bot.Graph.SharePoint.Items);

        bot.Time.Advance(TimeSpan.FromSeconds(2));
        await bot.SyncAsync();
        Assert.Equal("VPN-certificaat ontbreekt", (string)Assert.Single(bot.Graph.SharePoint.Items).Value["Comment"]!);
    }

    [Fact]
    public async Task A_list_made_by_the_earlier_version_gets_the_kind_reply_id_and_deleted_columns()
    {
        await using var bot = await StartAsync(new() { ["Feedback:EnsureListColumns"] = "false" });
        string[] added = [FeedbackListSchema.KindColumn, "ReplyId", "Deleted"];
        foreach (var (name, type, _) in FeedbackListSchema.Columns.Where(c => !added.Contains(c.Name)))
        {
            bot.Graph.SharePoint.Columns[name] = type;
        }

        var report = await bot.Services.GetRequiredService<FeedbackListSetup>().EnsureColumnsAsync(Ct);

        Assert.True(report.Ok, report.ToString());
        Assert.Equal(added, report.Created);
        Assert.Equal(("choice", "boolean"), (bot.Graph.SharePoint.Columns[FeedbackListSchema.KindColumn], bot.Graph.SharePoint.Columns["Deleted"]));
        var kind = bot.Graph.CallsTo("POST", "/columns").Select(c => c.Json!).Single(j => (string)j["name"]! == FeedbackListSchema.KindColumn);
        Assert.Equal([FeedbackListSchema.KindSurvey, FeedbackListSchema.KindThreadReply], kind["choice"]!["choices"]!.AsArray().Select(c => (string)c!));
    }

    [Fact]
    public async Task After_the_upgrade_survey_items_of_the_earlier_version_get_kind_survey_and_stored_replies_are_copied()
    {
        await using var graph = await FakeGraph.StartAsync();
        var database = Path.Combine(Path.GetTempPath(), "trb-tests", Guid.NewGuid().ToString("N"), "rollout.db");
        var settings = new Dictionary<string, string?> { ["Storage:SqlitePath"] = database };
        await using (var old = await StartAsync(settings, graph))
        {
            await old.SubmitAsync(1, FeedbackBot.Answer(rating: "3"));
            await old.SyncAsync();
            await old.Services.GetRequiredService<SqliteThreadReplyStore>().SaveAsync(new IncomingReply("1700000000751", ReplyActivities.Root,
                FeedbackBot.Aad(2), "User 2", "Camera vraagt toestemming", old.Time.GetUtcNow(), old.Time.GetUtcNow(), null, ReplySource.Live), Ct);
        }
        // Make the file and the list look as the earlier version left them: no reply queue, survey items without a kind.
        await using (var connection = new SqliteConnection($"Data Source={database}"))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE thread_reply_sync; DELETE FROM schema_migrations WHERE version = 91;";
            await command.ExecuteNonQueryAsync(Ct);
        }
        SqliteConnection.ClearAllPools();
        foreach (var copied in graph.SharePoint.Items.Where(i => i.Value["ReplyId"] is not null).Select(i => i.Key).ToList())
        {
            graph.SharePoint.Items.TryRemove(copied, out _);   // the earlier version never copied replies
        }
        var surveyItem = Assert.Single(graph.SharePoint.Items);
        surveyItem.Value.Remove(FeedbackListSchema.KindColumn);
        surveyItem.Value.Remove("Deleted");
        graph.Calls.Clear();

        await using var upgraded = await StartAsync(settings, graph);
        await upgraded.SyncAsync();
        await upgraded.SyncAsync();

        Assert.Equal(2, graph.SharePoint.Items.Count);
        Assert.Equal(FeedbackListSchema.KindSurvey, (string)graph.SharePoint.Items[surveyItem.Key][FeedbackListSchema.KindColumn]!);
        Assert.Equal(3, (int)graph.SharePoint.Items[surveyItem.Key]["Rating"]!);
        Assert.Single(graph.CallsTo("PATCH", $"/items/{surveyItem.Key}/fields"));
        Assert.Equal("Camera vraagt toestemming", (string)ItemOf(graph, "1700000000751")["Comment"]!);
        Assert.Single(graph.CallsTo("POST", "/items"));
    }
}
