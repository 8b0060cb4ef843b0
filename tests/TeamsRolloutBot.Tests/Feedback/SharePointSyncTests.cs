using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Graph;
using TeamsRolloutBot.Tests.Infrastructure;

namespace TeamsRolloutBot.Tests.Feedback;

/// <summary>The copy of answers to the SharePoint list through Graph: once per answer, edits in place, nothing lost while Graph is down.</summary>
public sealed class SharePointSyncTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_answer_becomes_one_list_item_with_its_fields_and_an_edit_updates_that_item()
    {
        await using var bot = await FeedbackBot.StartAsync();

        await bot.SubmitAsync(1, FeedbackBot.Answer(rating: "2", success: "no", platform: "android", problems: "signin,slow", comment: "Stuck at MFA", consent: "true"));
        await bot.SyncAsync();

        var item = Assert.Single(bot.Graph.SharePoint.Items);
        Assert.Equal(2, (int)item.Value["Rating"]!);
        Assert.Equal("no", (string)item.Value["EnrollmentSuccess"]!);
        Assert.Equal("android", (string)item.Value["Platform"]!);
        Assert.Equal("signin, slow", (string)item.Value["Problems"]!);
        Assert.Equal("Stuck at MFA", (string)item.Value["Comment"]!);
        Assert.True((bool)item.Value["ContactConsent"]!);
        Assert.Equal("User 1", (string)item.Value["Respondent"]!);
        Assert.Equal("hr", (string)item.Value["DepartmentId"]!);
        var stored = await bot.Store.FindAsync(FeedbackBot.SurveyId, FeedbackBot.Aad(1), Ct);
        Assert.Equal(item.Key, stored!.ListItemId);
        Assert.Equal(stored.Version, stored.SyncedVersion);

        await bot.SubmitAsync(1, FeedbackBot.Answer(rating: "4", success: "yes", platform: "android", consent: "false"));
        await bot.SyncAsync();

        var edited = Assert.Single(bot.Graph.SharePoint.Items);
        Assert.Equal(item.Key, edited.Key);
        Assert.Equal(4, (int)edited.Value["Rating"]!);
        Assert.Equal(2, (int)edited.Value["AnswerVersion"]!);
        // Without consent the name is removed from the list as well.
        Assert.Equal("", (string)edited.Value["Respondent"]!);
        Assert.Single(bot.Graph.CallsTo("POST", "/items"));
        Assert.Single(bot.Graph.CallsTo("PATCH", $"/items/{item.Key}/fields"));
    }

    [Fact]
    public async Task Every_Graph_call_carries_the_bots_bearer_token()
    {
        await using var bot = await FeedbackBot.StartAsync();

        await bot.SubmitAsync(1, FeedbackBot.Answer());
        await bot.SyncAsync();

        Assert.NotEmpty(bot.Graph.Calls);
        Assert.All(bot.Graph.Calls, c => Assert.Equal("Bearer " + TestBot.OutboundToken, c.Authorization));
    }

    [Fact]
    public async Task While_Graph_is_down_answers_are_kept_and_after_recovery_each_becomes_exactly_one_item()
    {
        await using var bot = await FeedbackBot.StartAsync();
        bot.Graph.Faults.Down(503, 120);

        await bot.SubmitAsync(1, FeedbackBot.Answer(rating: "1"));
        await bot.SubmitAsync(2, FeedbackBot.Answer(rating: "2"));
        await bot.SyncAsync();
        await bot.SubmitAsync(3, FeedbackBot.Answer(rating: "3"));
        await bot.SubmitAsync(1, FeedbackBot.Answer(rating: "5"));   // an edit while Graph is down
        await bot.SyncAsync();

        Assert.Empty(bot.Graph.SharePoint.Items);
        var counts = await bot.Store.SyncCountsAsync(Ct);
        Assert.Equal(0, counts.Synced);
        Assert.Equal(3, counts.Pending + counts.Failing);
        Assert.True(counts.Failing >= 1);

        // Retry-After is honoured: 60 s later nothing is tried, even with Graph back.
        bot.Graph.Faults.Up();
        var before = bot.Graph.Calls.Count;
        bot.Time.Advance(TimeSpan.FromSeconds(60));
        await bot.SyncAsync();
        Assert.Equal(before, bot.Graph.Calls.Count);

        bot.Time.Advance(TimeSpan.FromMinutes(5));
        await bot.SyncAsync();
        await bot.SyncAsync();

        Assert.Equal(3, bot.Graph.SharePoint.Items.Count);
        Assert.Equal(3, bot.Graph.SharePoint.Items.Values.Select(i => (string)i[SharePointListClient.CorrelationColumn]!).Distinct().Count());
        Assert.Equal([2, 3, 5], bot.Graph.SharePoint.Items.Values.Select(i => (int)i["Rating"]!).Order());
        Assert.Equal(3, (await bot.Store.SyncCountsAsync(Ct)).Synced);
    }

    [Fact]
    public async Task A_POST_whose_response_was_lost_is_found_by_its_correlation_id_and_not_created_again()
    {
        await using var bot = await FeedbackBot.StartAsync();
        bot.Graph.Faults.LoseResponse("POST", "/items");

        await bot.SubmitAsync(1, FeedbackBot.Answer(rating: "3"));
        await bot.SyncAsync();
        Assert.Single(bot.Graph.SharePoint.Items);
        Assert.Null((await bot.Store.FindAsync(FeedbackBot.SurveyId, FeedbackBot.Aad(1), Ct))!.ListItemId);

        bot.Time.Advance(TimeSpan.FromMinutes(2));
        await bot.SyncAsync();

        var item = Assert.Single(bot.Graph.SharePoint.Items);
        Assert.Single(bot.Graph.CallsTo("POST", "/items"));
        Assert.Contains(bot.Graph.Calls, c => c.Method == "GET" && c.Query.Contains("fields/FeedbackCorrelationId eq", StringComparison.Ordinal));
        Assert.Equal(item.Key, (await bot.Store.FindAsync(FeedbackBot.SurveyId, FeedbackBot.Aad(1), Ct))!.ListItemId);
    }

    [Fact]
    public async Task Answers_waiting_for_Graph_survive_a_restart_and_a_crash_after_the_POST_creates_no_second_item()
    {
        await using var graph = await FakeGraph.StartAsync();
        var database = Path.Combine(Path.GetTempPath(), "trb-tests", Guid.NewGuid().ToString("N"), "rollout.db");
        var settings = new Dictionary<string, string?> { ["Storage:SqlitePath"] = database };

        await using (var first = await FeedbackBot.StartAsync(settings: settings, sharedGraph: graph))
        {
            graph.Faults.Down(503, 30);
            await first.SubmitAsync(1, FeedbackBot.Answer(rating: "1"));
            await first.SyncAsync();
            graph.Faults.Up();
            // The next POST reaches SharePoint, but the bot goes down before it learns the item id.
            graph.Faults.LoseResponse("POST", "/items");
            await first.SubmitAsync(2, FeedbackBot.Answer(rating: "2"));
            first.Time.Advance(TimeSpan.FromMinutes(1));
            await first.SyncAsync();
        }
        var before = graph.SharePoint.Items.Count;

        await using var second = await FeedbackBot.StartAsync(settings: settings, sharedGraph: graph);
        second.Time.Advance(TimeSpan.FromMinutes(5));
        await second.SyncAsync();
        await second.SyncAsync();

        Assert.Equal(2, graph.SharePoint.Items.Count);
        Assert.Equal([1, 2], graph.SharePoint.Items.Values.Select(i => (int)i["Rating"]!).Order());
        Assert.Equal(2, (await second.Store.SyncCountsAsync(Ct)).Synced);
        Assert.True(before >= 1, "the lost POST should have created its item before the restart");
    }

    [Fact]
    public async Task A_429_waits_for_its_Retry_After_and_the_answer_is_then_copied()
    {
        await using var bot = await FeedbackBot.StartAsync();
        await bot.SyncAsync();   // column check done first, so the scripted 429 hits the item POST
        bot.Graph.Faults.Next(429, retryAfterSeconds: 300);

        await bot.SubmitAsync(1, FeedbackBot.Answer());
        await bot.SyncAsync();
        Assert.Empty(bot.Graph.SharePoint.Items);

        bot.Time.Advance(TimeSpan.FromSeconds(299));
        await bot.SyncAsync();
        Assert.Empty(bot.Graph.SharePoint.Items);

        bot.Time.Advance(TimeSpan.FromSeconds(2));
        await bot.SyncAsync();
        Assert.Single(bot.Graph.SharePoint.Items);
    }

    [Fact]
    public async Task Missing_list_columns_are_created_and_a_column_of_the_wrong_type_is_reported()
    {
        await using var bot = await FeedbackBot.StartAsync(settings: new() { ["Feedback:EnsureListColumns"] = "false" });
        bot.Graph.SharePoint.Columns["Rating"] = "text";

        var report = await bot.Services.GetRequiredService<FeedbackListSetup>().EnsureColumnsAsync(Ct);

        Assert.Null(report.Error);
        Assert.Contains("Rating is text, expected number", report.WrongType);
        Assert.Contains(SharePointListClient.CorrelationColumn, report.Created);
        Assert.Equal(FeedbackListSchema.Columns.Count - 1, report.Created.Count);
        Assert.Equal("number", bot.Graph.SharePoint.Columns["AnswerVersion"]);
        Assert.Equal("boolean", bot.Graph.SharePoint.Columns["ContactConsent"]);
        var correlation = bot.Graph.CallsTo("POST", "/columns").Select(c => c.Json!).Single(j => (string)j["name"]! == SharePointListClient.CorrelationColumn);
        Assert.True((bool)correlation["indexed"]!);

        var again = await bot.Services.GetRequiredService<FeedbackListSetup>().EnsureColumnsAsync(Ct);
        Assert.Empty(again.Created);
    }

    [Fact]
    public async Task Without_a_configured_list_answers_stay_local_and_Graph_is_never_called()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);

        await bot.SubmitAsync(1, FeedbackBot.Answer());
        await bot.SyncAsync();

        Assert.Empty(bot.Graph.Calls);
        Assert.NotNull(await bot.Store.FindAsync(FeedbackBot.SurveyId, FeedbackBot.Aad(1), Ct));
        var report = await bot.Services.GetRequiredService<FeedbackListSetup>().EnsureColumnsAsync(Ct);
        Assert.False(report.Enabled);
    }

    [Fact]
    public async Task A_deleted_list_item_is_created_again_instead_of_losing_the_edit()
    {
        await using var bot = await FeedbackBot.StartAsync();
        await bot.SubmitAsync(1, FeedbackBot.Answer(rating: "2"));
        await bot.SyncAsync();
        bot.Graph.SharePoint.Items.Clear();

        await bot.SubmitAsync(1, FeedbackBot.Answer(rating: "5"));
        await bot.SyncAsync();
        bot.Time.Advance(TimeSpan.FromMinutes(2));
        await bot.SyncAsync();

        var item = Assert.Single(bot.Graph.SharePoint.Items);
        Assert.Equal(5, (int)item.Value["Rating"]!);
    }
}
