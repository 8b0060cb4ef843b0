using System.Text.Json.Nodes;
using TeamsRolloutBot.Feedback;

namespace TeamsRolloutBot.Tests.Feedback;

/// <summary>The survey card's Universal Actions through the real /api/messages pipeline.</summary>
public sealed class SurveyActionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Submitting_stores_the_answer_and_shows_that_user_a_thank_you_card_with_their_answers()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);

        var card = await bot.SubmitAsync(1, FeedbackBot.Answer(rating: "2", success: "partly", platform: "ios", problems: "apps,signin", comment: "Mail took an hour."));

        var text = CardText.All(card);
        Assert.Contains("Thank you for your feedback!", text);
        Assert.Contains("2 - Hard", text);
        Assert.Contains("iPhone or iPad", text);
        Assert.Contains("Signing in or multi-factor authentication, Apps or e-mail not working afterwards", text);
        Assert.Contains("Mail took an hour.", text);
        var change = card["actions"]!.AsArray().Single();
        Assert.Equal("survey.edit", (string)change!["verb"]!);
        // The thank-you card keeps refreshing for this user only.
        Assert.Equal([FeedbackBot.UserId(1)], card["refresh"]!["userIds"]!.AsArray().Select(i => (string)i!));

        var stored = await bot.Store.FindAsync(FeedbackBot.SurveyId, FeedbackBot.Aad(1), Ct);
        Assert.NotNull(stored);
        Assert.Equal(new SurveyAnswer(2, "partly", "ios", "15to30", ["signin", "apps"], "Mail took an hour.", false).ToCanonicalJson(), stored.Answer.ToCanonicalJson());
        Assert.Equal(["signin", "apps"], stored.Answer.Problems);
        Assert.Equal("hr", stored.Placement.DepartmentId);
        Assert.Equal(FeedbackBot.WaveId, stored.Placement.WaveId);
    }

    [Fact]
    public async Task The_channel_post_stays_the_survey_and_its_refresh_list_gains_the_user_who_answered()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);

        await bot.SubmitAsync(1, FeedbackBot.Answer());
        await WaitForAsync(() => bot.Teams.Calls.Count(c => c.Method == "PUT"), n => n == 1);
        await bot.SubmitAsync(2, FeedbackBot.Answer(rating: "5"));
        await bot.SubmitAsync(3, FeedbackBot.Answer(rating: "4"));

        // Updates of one message are at least 15 s apart; answers in between go into one update.
        await Task.Delay(300, Ct);
        Assert.Equal(1, bot.Teams.Calls.Count(c => c.Method == "PUT"));
        bot.Time.Advance(TimeSpan.FromMinutes(1));
        var puts = await WaitForAsync(() => bot.Teams.Calls.Where(c => c.Method == "PUT").ToList(), l => l.Count == 2);
        Assert.Equal([FeedbackBot.UserId(1)], Ids(puts[0]));
        var last = puts[^1];
        Assert.EndsWith($"/activities/{FeedbackBot.ChannelMessageId}", last.Path, StringComparison.Ordinal);
        var content = last.Json!["attachments"]![0]!["content"]!;
        // Everyone else still sees the survey: the message itself is not the thank-you card.
        Assert.Contains("How did enrolling go?", CardText.All(content));
        Assert.DoesNotContain("Thank you for your feedback!", CardText.All(content));
        Assert.Equal("survey.refresh", (string)content["refresh"]!["action"]!["verb"]!);
        Assert.Equal(new[] { FeedbackBot.UserId(1), FeedbackBot.UserId(2), FeedbackBot.UserId(3) }.Order(), Ids(last).Order());
        // The inputs of the shared message are empty: nobody's answers are shown to others.
        Assert.Equal("", (string?)CardText.Input(content, "rating")!["value"]);
    }

    [Fact]
    public async Task In_a_personal_chat_the_survey_message_refreshes_for_that_user_only()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);
        await bot.SubmitAsync(3, FeedbackBot.Answer(), channel: false);
        await bot.SubmitAsync(4, FeedbackBot.Answer());   // someone else, in the channel

        var put = (await WaitForAsync(() => bot.Teams.Calls.Where(c => c.Method == "PUT" && c.Path.Contains("personal-msg-3", StringComparison.Ordinal)).ToList(), l => l.Count > 0))[0];

        Assert.Contains("/v3/conversations/a%3Apersonal-3/activities/personal-msg-3", put.Path, StringComparison.Ordinal);
        Assert.Equal([FeedbackBot.UserId(3)], Ids(put));
    }

    [Fact]
    public async Task Refresh_shows_thanks_to_a_user_who_answered_and_the_survey_to_one_who_did_not()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);
        await bot.SubmitAsync(1, FeedbackBot.Answer(rating: "3"));

        var (_, answered) = await bot.PostAsync(bot.Invoke(1, SurveyInvokeHandler.Refresh, FeedbackBot.Data()));
        var (_, other) = await bot.PostAsync(bot.Invoke(2, SurveyInvokeHandler.Refresh, FeedbackBot.Data()));

        Assert.Contains("Thank you for your feedback!", CardText.All(answered!["value"]));
        Assert.Contains("3 - Okay", CardText.All(answered!["value"]));
        Assert.Contains("How did enrolling go?", CardText.All(other!["value"]));
        Assert.DoesNotContain("Thank you", CardText.All(other!["value"]));
    }

    [Fact]
    public async Task Change_my_answers_opens_the_survey_filled_in_and_an_edit_is_kept_as_history()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);
        await bot.SubmitAsync(1, FeedbackBot.Answer(rating: "2", problems: "slow", comment: "first"));

        var (_, edit) = await bot.PostAsync(bot.Invoke(1, SurveyInvokeHandler.Edit, FeedbackBot.Data()));
        var form = edit!["value"]!;
        Assert.Equal("2", (string?)CardText.Input(form, "rating")!["value"]);
        Assert.Equal("slow", (string?)CardText.Input(form, "problems")!["value"]);
        Assert.Equal("first", (string?)CardText.Input(form, "comment")!["value"]);
        // While editing, no automatic refresh may replace the form with the thank-you card.
        Assert.Empty(form["refresh"]!["userIds"]!.AsArray());

        var thanks = await bot.SubmitAsync(1, FeedbackBot.Answer(rating: "4", problems: "", comment: "second"));
        Assert.Contains("4 - Easy", CardText.All(thanks));

        var history = await bot.Store.HistoryAsync(FeedbackBot.SurveyId, FeedbackBot.Aad(1), Ct);
        Assert.Equal([1, 2], history.Select(h => h.Version));
        Assert.Equal("first", history[0].Answer.Comment);
        Assert.Equal("second", history[1].Answer.Comment);
        var current = await bot.Store.FindAsync(FeedbackBot.SurveyId, FeedbackBot.Aad(1), Ct);
        Assert.Equal(4, current!.Answer.Rating);
        Assert.Empty(current.Answer.Problems);
        Assert.Equal(2, current.Version);
    }

    [Fact]
    public async Task The_same_answer_twice_is_one_history_entry_and_a_redelivered_invoke_is_handled_once()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);
        var invoke = bot.Invoke(1, SurveyInvokeHandler.Submit, FeedbackBot.Data(inputs: FeedbackBot.Answer(problems: "signin,apps")));

        var (first, firstCard) = await bot.PostAsync(invoke);
        var (redelivered, redeliveredCard) = await bot.PostAsync(invoke);
        // A second click with the same answers, problems in another order.
        await bot.SubmitAsync(1, FeedbackBot.Answer(problems: "apps,signin"));

        Assert.Equal(200, first);
        Assert.Equal(200, redelivered);
        // The repeated invoke gets the same thank-you card, not an empty answer.
        Assert.Equal(firstCard?.ToJsonString(), redeliveredCard?.ToJsonString());
        var history = await bot.Store.HistoryAsync(FeedbackBot.SurveyId, FeedbackBot.Aad(1), Ct);
        Assert.Single(history);
    }

    [Fact]
    public async Task Invalid_and_missing_answers_come_back_in_the_card_with_the_values_kept_and_nothing_is_stored()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false, new() { ["Feedback:CommentMaxLength"] = "20" });

        var inputs = new JsonObject
        {
            ["rating"] = "7",
            ["success"] = "",
            ["platform"] = "windows",
            ["problems"] = "signin,printer",
            ["comment"] = new string('x', 25),
            ["consent"] = "maybe",
        };
        var card = await bot.SubmitAsync(1, inputs);

        var errors = CardText.Errors(card);
        Assert.Contains(errors, e => e.Contains("choose a score from 1 to 5 ('7' is not one)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Did it work: please choose an answer.", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'printer' is not one of the choices", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("25 characters; at most 20", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'maybe' is not one of the choices", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Please check the answers marked below (5)", StringComparison.Ordinal));
        // The error for rating sits right under the rating question.
        var body = card["body"]!.AsArray();
        var rating = body.IndexOf(CardText.Input(card, "rating"));
        Assert.Equal("Attention", (string?)body[rating + 1]!["color"]);
        // What the user typed is still there; the configured limit is on the input.
        Assert.Equal("windows", (string?)CardText.Input(card, "platform")!["value"]);
        Assert.Equal(new string('x', 25), (string?)CardText.Input(card, "comment")!["value"]);
        Assert.Equal(20, (int)CardText.Input(card, "comment")!["maxLength"]!);

        Assert.Null(await bot.Store.FindAsync(FeedbackBot.SurveyId, FeedbackBot.Aad(1), Ct));
    }

    [Fact]
    public async Task A_forged_submission_with_huge_values_gets_the_survey_back_with_the_errors_cut_to_what_the_inputs_hold()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);

        // Teams' inputs never send this much (the comment allows 1000 characters); echoed whole, the card would be
        // too large for Teams and the click would fail with a 500.
        var card = await bot.SubmitAsync(1, FeedbackBot.Answer(rating: "x" + string.Concat(Enumerable.Repeat("🙂", 2_000)), comment: new string('c', 90_000)));

        Assert.Contains(CardText.Errors(card), e => e.Contains("90000 characters; at most 1000", StringComparison.Ordinal));
        Assert.Equal(new string('c', 1000), (string?)CardText.Input(card, "comment")!["value"]);
        // Cut at 100 characters without splitting an emoji in half.
        Assert.Equal("x" + string.Concat(Enumerable.Repeat("🙂", 49)), (string?)CardText.Input(card, "rating")!["value"]);
        Assert.Null(await bot.Store.FindAsync(FeedbackBot.SurveyId, FeedbackBot.Aad(1), Ct));
    }

    [Fact]
    public async Task Errors_are_shown_in_Dutch_to_a_Dutch_user()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);

        var card = await bot.SubmitAsync(1, new JsonObject { ["rating"] = "3" }, locale: "nl-NL");

        Assert.Contains(CardText.Errors(card), e => e.Contains("Is het gelukt: kies een antwoord.", StringComparison.Ordinal));
        Assert.Contains("Hoe ging het registreren?", CardText.All(card));
    }

    [Fact]
    public async Task A_card_without_survey_id_is_refused_with_a_400_invoke_response()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);

        var (status, body) = await bot.PostAsync(bot.Invoke(1, SurveyInvokeHandler.Submit, FeedbackBot.Answer()));

        Assert.Equal(400, status);
        Assert.Equal("application/vnd.microsoft.error", (string)body!["type"]!);
        Assert.Contains("incomplete or out of date", (string)body["value"]!["message"]!);
    }

    [Fact]
    public async Task Concurrent_submissions_from_many_users_and_repeated_edits_by_one_user_are_all_stored_consistently()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);

        var users = Enumerable.Range(100, 24).Select(u => bot.SubmitAsync(u, FeedbackBot.Answer(rating: ((u % 5) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var edits = Enumerable.Range(1, 6).Select(i => bot.SubmitAsync(1, FeedbackBot.Answer(comment: $"edit {i}")));
        await Task.WhenAll(users.Concat(edits));

        var all = await bot.Store.ListAsync(null, null, Ct);
        Assert.Equal(25, all.Count);
        foreach (var u in Enumerable.Range(100, 24))
        {
            Assert.Equal((u % 5) + 1, all.Single(a => a.Respondent.AadObjectId == FeedbackBot.Aad(u)).Answer.Rating);
        }
        var history = await bot.Store.HistoryAsync(FeedbackBot.SurveyId, FeedbackBot.Aad(1), Ct);
        Assert.Equal(Enumerable.Range(1, 6), history.Select(h => h.Version));
        Assert.Equal(6, history.Select(h => h.Answer.Comment).Distinct().Count());
        var current = all.Single(a => a.Respondent.AadObjectId == FeedbackBot.Aad(1));
        Assert.Equal(6, current.Version);
        Assert.Equal(history[^1].Answer.Comment, current.Answer.Comment);
    }

    [Fact]
    public async Task Old_clients_Action_Submit_fallback_stores_the_answer_and_answers_without_showing_it_in_the_channel()
    {
        await using var bot = await FeedbackBot.StartAsync(sharePoint: false);
        var invoke = bot.Invoke(1, SurveyInvokeHandler.Submit, FeedbackBot.Data());
        var submit = new JsonObject
        {
            ["type"] = "message",
            ["id"] = "submit-1",
            ["channelId"] = "msteams",
            ["serviceUrl"] = bot.Teams.ServiceUrl,
            ["locale"] = "en-US",
            ["replyToId"] = FeedbackBot.ChannelMessageId,
            ["from"] = invoke["from"]!.DeepClone(),
            ["recipient"] = invoke["recipient"]!.DeepClone(),
            ["conversation"] = invoke["conversation"]!.DeepClone(),
            ["channelData"] = invoke["channelData"]!.DeepClone(),
            ["value"] = FeedbackBot.Data(inputs: FeedbackBot.Answer(rating: "5", comment: "private")),
        };
        submit["value"]!["verb"] = "survey.submit";

        var (status, _) = await bot.PostAsync(submit);

        Assert.Equal(200, status);
        Assert.Equal(5, (await bot.Store.FindAsync(FeedbackBot.SurveyId, FeedbackBot.Aad(1), Ct))!.Answer.Rating);
        var reply = await WaitForAsync(() => bot.Teams.Calls.Where(c => c.Method == "POST" && c.Path.Contains("/activities/submit-1", StringComparison.Ordinal)).ToList(), l => l.Count > 0);
        Assert.Contains("your answers are saved", (string)reply[0].Json!["text"]!);
        Assert.DoesNotContain("private", reply[0].Body);
    }

    private static List<string> Ids(TeamsRolloutBot.Fakes.ConnectorCall put) =>
        [.. put.Json!["attachments"]![0]!["content"]!["refresh"]!["userIds"]!.AsArray().Select(i => (string)i!)];

    internal static async Task<T> WaitForAsync<T>(Func<T> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var value = read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25, Ct);
            value = read();
        }
        Assert.True(done(value), "condition not reached within 10 s");
        return value;
    }
}
