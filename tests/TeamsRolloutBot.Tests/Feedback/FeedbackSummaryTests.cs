using System.Text;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Feedback;

namespace TeamsRolloutBot.Tests.Feedback;

/// <summary>Summary figures and the summary card against the stored answers; the CSV export.</summary>
public sealed class FeedbackSummaryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>hr (4 members): users 1, 2, 3 answer; finance (2 members): user 5; sales (expected 10, no list): user 20.</summary>
    private static async Task<FeedbackBot> BotWithAnswersAsync()
    {
        var bot = await FeedbackBot.StartAsync(sharePoint: false);
        async Task Answer(int user, string department, string rating, string success, string? problems, string? comment, bool consent)
        {
            await bot.SubmitAsync(user, FeedbackBot.Answer(rating: rating, success: success, problems: problems, comment: comment, consent: consent ? "true" : "false"), department);
            bot.Time.Advance(TimeSpan.FromMinutes(1));
        }
        await Answer(1, "hr", "5", "yes", null, "Smooth, thanks", consent: true);
        await Answer(2, "hr", "2", "partly", "signin,apps", "MFA loop", consent: false);
        await Answer(3, "hr", "4", "yes", "signin", null, consent: false);
        await Answer(5, "finance", "1", "no", "signin,slow", "Gave up", consent: true);
        await Answer(20, "sales", "4", "partly", "instructions", null, consent: false);
        return bot;
    }

    [Fact]
    public async Task Summary_figures_match_the_stored_answers()
    {
        await using var bot = await BotWithAnswersAsync();
        var summaries = bot.Services.GetRequiredService<FeedbackSummaryService>();

        var summary = await summaries.ComputeAsync(FeedbackBot.WaveId, null, Ct);
        var stored = await bot.Store.ListAsync(FeedbackBot.WaveId, null, Ct);

        Assert.Equal(stored.Count, summary.Responses);
        Assert.Equal(5, summary.Responses);
        Assert.Equal(Enumerable.Range(1, 5).Select(r => stored.Count(a => a.Answer.Rating == r)), summary.RatingCounts);
        Assert.Equal([1, 1, 0, 2, 1], summary.RatingCounts);
        Assert.Equal(3.2, summary.AverageRating!.Value, 3);
        Assert.Equal((2, 2, 1), (summary.SuccessYes, summary.SuccessPartly, summary.SuccessNo));
        Assert.Equal(0.4, summary.SuccessRate!.Value, 3);
        Assert.Equal(("signin", 3), summary.TopProblems[0]);
        Assert.Equal(["signin", "instructions", "apps", "slow"], summary.TopProblems.Select(p => p.Problem));

        var hr = summary.Departments.Single(d => d.DepartmentId == "hr");
        Assert.Equal((3, 4, 1), (hr.Responses, hr.Recipients!.Value, hr.NonResponders!.Value));
        Assert.Equal(SurveyRecipientSource.PlanMembers, hr.Source);
        var finance = summary.Departments.Single(d => d.DepartmentId == "finance");
        Assert.Equal((1, 2, 1), (finance.Responses, finance.Recipients!.Value, finance.NonResponders!.Value));
        var sales = summary.Departments.Single(d => d.DepartmentId == "sales");
        Assert.Equal((1, 10, 9), (sales.Responses, sales.Recipients!.Value, sales.NonResponders!.Value));
        Assert.Equal(SurveyRecipientSource.PlanExpectedSize, sales.Source);
        Assert.Equal(16, summary.Recipients);
        Assert.Equal(11, summary.NonResponders);

        // Newest comments first; a name only where the person consented.
        Assert.Equal(["Gave up", "MFA loop", "Smooth, thanks"], summary.RecentComments.Select(c => c.Text));
        Assert.Equal(["User 5", null, "User 1"], summary.RecentComments.Select(c => c.Author));
    }

    [Fact]
    public async Task A_department_summary_counts_only_that_department()
    {
        await using var bot = await BotWithAnswersAsync();

        var summary = await bot.Services.GetRequiredService<FeedbackSummaryService>().ComputeAsync(null, "hr", Ct);

        Assert.Equal(3, summary.Responses);
        Assert.Equal(1, summary.NonResponders);
        Assert.Equal([0, 1, 0, 1, 1], summary.RatingCounts);
        Assert.Single(summary.Departments);
    }

    [Fact]
    public async Task The_summary_card_shows_the_figures_per_department_in_English_and_Dutch()
    {
        await using var bot = await BotWithAnswersAsync();
        var summaries = bot.Services.GetRequiredService<FeedbackSummaryService>();

        var en = CardText.All(await summaries.BuildAsync(FeedbackBot.WaveId, null, "en", Ct));
        var nl = CardText.All(await summaries.BuildAsync(FeedbackBot.WaveId, null, "nl", Ct));

        Assert.Contains("Feedback on enrollment", en);
        Assert.Contains("Wave: Wave 1", en);
        Assert.Contains("5 of 16 (31%)", en);
        Assert.Contains("3 / 4", en);
        Assert.Contains("75%", en);
        Assert.Contains("1 / 10", en);
        Assert.Contains("3.2 / 5", en);
        Assert.Contains("Enrollment worked", en);
        Assert.Contains("40%", en);
        Assert.Contains("Signing in or multi-factor authentication", en);
        Assert.Contains("“Gave up”", en);
        Assert.Contains("User 5 · Finance", en);
        Assert.Contains("Anonymous · HR", en);
        Assert.DoesNotContain("User 2", en);
        Assert.Contains("SharePoint list: not configured", en);
        Assert.Contains("expected department sizes", en);
        Assert.DoesNotContain("${", en);

        Assert.Contains("Feedback op de registratie", nl);
        Assert.Contains("Personeelszaken", nl);
        Assert.Contains("3,2 / 5", nl);
        Assert.Contains("Anoniem · Personeelszaken", nl);
    }

    [Fact]
    public async Task The_feedback_command_argument_picks_a_wave_or_a_department_and_an_unknown_one_gives_null()
    {
        await using var bot = await BotWithAnswersAsync();
        var summaries = bot.Services.GetRequiredService<FeedbackSummaryService>();

        var department = CardText.All(await summaries.BuildForTargetAsync("FINANCE", "en", Ct));
        var wave = CardText.All(await summaries.BuildForTargetAsync("wave-1", "en", Ct));
        var all = CardText.All(await summaries.BuildForTargetAsync(null, "en", Ct));

        Assert.Contains("All waves · Finance", department);
        Assert.Contains("1 of 2 (50%)", department);
        Assert.Contains("Wave: Wave 1", wave);
        Assert.Contains("5 of 16", wave);
        Assert.Contains("All waves", all);
        Assert.Null(await summaries.BuildForTargetAsync("marketing", "en", Ct));
        Assert.Equal(5, (await summaries.ExportAsync(Ct)).Rows);
    }

    [Fact]
    public async Task Comments_are_shown_as_plain_text_so_markdown_in_them_makes_no_links()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);
        await bot.SubmitAsync(1, FeedbackBot.Answer(comment: "See [the fix](https://evil.example) **now**"));

        var card = await bot.Services.GetRequiredService<FeedbackSummaryService>().BuildAsync(null, null, "en", Ct);

        var comment = FindRuns(card).Single(r => ((string)r["text"]!).Contains("evil", StringComparison.Ordinal));
        Assert.Equal("“See [the fix](https://evil.example) **now**”", (string)comment["text"]!);
        Assert.DoesNotContain(FindTextBlocks(card), t => t.Contains("evil", StringComparison.Ordinal));
    }

    private static IEnumerable<System.Text.Json.Nodes.JsonObject> FindRuns(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o when (string?)o["type"] == "TextRun" => [o],
        System.Text.Json.Nodes.JsonObject o => o.SelectMany(p => FindRuns(p.Value)),
        System.Text.Json.Nodes.JsonArray a => a.SelectMany(FindRuns),
        _ => [],
    };

    private static IEnumerable<string> FindTextBlocks(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o when (string?)o["type"] == "TextBlock" => [(string)o["text"]!],
        System.Text.Json.Nodes.JsonObject o => o.SelectMany(p => FindTextBlocks(p.Value)),
        System.Text.Json.Nodes.JsonArray a => a.SelectMany(FindTextBlocks),
        _ => [],
    };

    [Fact]
    public async Task An_empty_summary_says_so_instead_of_showing_blanks()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);

        var card = await bot.Services.GetRequiredService<FeedbackSummaryService>().BuildAsync(null, null, "en", Ct);
        var text = CardText.All(card);

        Assert.Contains("Nobody reported a problem.", text);
        Assert.Contains("No comments yet.", text);
        Assert.Contains("0 of 16 (0%)", text);
        Assert.DoesNotContain("${", text);
    }

    [Fact]
    public async Task The_CSV_export_has_every_answer_with_commas_quotes_newlines_and_formulas_made_safe()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);
        await bot.SubmitAsync(1, FeedbackBot.Answer(rating: "3", problems: "apps,slow", comment: "Line one, \"quoted\"\nline two", consent: "true"));
        await bot.SubmitAsync(2, FeedbackBot.Answer(rating: "5", comment: "=HYPERLINK(\"http://evil\")"));

        var bytes = await bot.Services.GetRequiredService<FeedbackSummaryService>().ExportCsvAsync(Ct);

        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var rows = ParseCsv(Encoding.UTF8.GetString(bytes[3..]));
        Assert.Equal(3, rows.Count);
        var header = rows[0];
        Assert.Equal("survey_id", header[0]);
        string Cell(List<string> row, string column) => row[header.IndexOf(column)];
        var first = rows.Single(r => Cell(r, "rating") == "3");
        Assert.Equal("Line one, \"quoted\"\nline two", Cell(first, "comment"));
        Assert.Equal("apps;slow", Cell(first, "problems"));
        Assert.Equal("User 1", Cell(first, "respondent_name"));
        Assert.Equal(FeedbackBot.Aad(1), Cell(first, "respondent_id"));
        var second = rows.Single(r => Cell(r, "rating") == "5");
        Assert.Equal("'=HYPERLINK(\"http://evil\")", Cell(second, "comment"));
        Assert.Equal("", Cell(second, "respondent_name"));
        Assert.All(rows, r => Assert.Equal(header.Count, r.Count));
    }

    /// <summary>A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes and embedded line breaks.</summary>
    private static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') { quoted = false; }
                else { cell.Append(c); }
            }
            else if (c == '"') { quoted = true; }
            else if (c == ',') { row.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') { row.Add(cell.ToString()); cell.Clear(); rows.Add(row); row = []; i++; }
            else { Assert.NotEqual('\n', c); cell.Append(c); }
        }
        Assert.Empty(row);
        return rows;
    }
}
