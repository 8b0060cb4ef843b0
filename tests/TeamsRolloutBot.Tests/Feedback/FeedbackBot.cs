using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Tests.Feedback;

/// <summary>
/// The feedback suites' fixture: a <see cref="TestBot"/> with a test plan (departments hr and finance with member
/// lists, sales with only an expected size; one wave whose survey went out <see cref="SurveyAgeDays"/> days ago), a fake
/// Graph and a fake clock that starts at the real time (inbound tokens are checked against it), and the suites' helpers.
/// </summary>
public sealed class FeedbackBot : IAsyncDisposable
{
    public const string SurveyId = "intune-enrollment";
    public const string WaveId = "wave-1";
    public const string MessageId = "post-enrollment";
    public const string LeadAad = "00000000-0000-0000-0000-0000000000aa";
    public const int SurveyAgeDays = 7;
    public const string ChannelConversation = "19:hr-rollout@thread.tacv2;messageid=survey-msg-1";
    public const string ChannelMessageId = "survey-msg-1";

    /// <summary>Members by department (Entra object ids); sales has no list, only expectedSize 10.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Members = new Dictionary<string, string[]>
    {
        ["hr"] = [Aad(1), Aad(2), Aad(3), Aad(4)],
        ["finance"] = [Aad(5), Aad(6)],
    };

    private FeedbackBot(TestBot bot, FakeGraph graph, FakeTimeProvider time, bool ownsGraph)
    {
        Bot = bot;
        Graph = graph;
        Time = time;
        _ownsGraph = ownsGraph;
    }

    private readonly bool _ownsGraph;

    public TestBot Bot { get; }
    public FakeOpenIdServer OpenId => Bot.OpenId;
    public FakeTeams Teams => Bot.Teams;
    public FakeGraph Graph { get; }
    public FakeTimeProvider Time { get; }
    public string PlanPath => Bot.PlanPath!;
    public HttpClient Client => Bot.Client;
    public IServiceProvider Services => Bot.Services;

    public IFeedbackStore Store => Services.GetRequiredService<IFeedbackStore>();

    public static string Aad(int n) => $"00000000-0000-0000-0000-{n:D12}";

    public static string UserId(int n) => $"29:user-{n}";

    /// <summary>
    /// Starts a bot. <paramref name="sharedGraph"/>: a fake Graph that outlives this bot (for restart tests; not disposed
    /// with it). Set <c>Storage:SqlitePath</c> in <paramref name="settings"/> to reopen an earlier bot's database.
    /// <paramref name="surveyAgeDays"/>: how many days ago the plan's survey is due (negative: in the future).
    /// </summary>
    public static async Task<FeedbackBot> StartAsync(bool sharePoint = true, Dictionary<string, string?>? settings = null, FakeGraph? sharedGraph = null,
        int surveyAgeDays = SurveyAgeDays)
    {
        var graph = sharedGraph ?? await FakeGraph.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var all = new Dictionary<string, string?>
        {
            ["Graph:BaseUrl"] = graph.BaseUrl,
            ["Feedback:SyncInterval"] = "00:01:00",
            ["Feedback:ReminderAfterDays"] = "10",
            ["Feedback:SummaryAfterDays"] = "12",
        };
        if (sharePoint)
        {
            all["Feedback:SharePointSiteId"] = SharePointListRoutes.SiteId;
            all["Feedback:SharePointListId"] = SharePointListRoutes.ListId;
        }
        var bot = await TestBot.Create().WithPlan(PlanYaml(DateTimeOffset.UtcNow, surveyAgeDays)).WithSettings(all).WithSettings(settings).WithClock(time).StartAsync();
        Assert.NotNull(bot.Services.GetRequiredService<PlanProvider>().Current);
        return new FeedbackBot(bot, graph, time, ownsGraph: sharedGraph is null);
    }

    /// <summary>
    /// The test plan. The wave starts 21 + <paramref name="surveyAgeDays"/> days before <paramref name="now"/> (local
    /// date), so its survey (offset 3w, 10:00) is planned that many days ago (by default 7); reminders (10 days) and
    /// summaries (12 days) are not due yet.
    /// </summary>
    private static string PlanYaml(DateTimeOffset now, int surveyAgeDays)
    {
        var start = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).DateTime).AddDays(-21 - surveyAgeDays);
        string Users(string dept) => string.Join(", ", Members[dept]);
        return $$"""
            rollout: Intune test rollout
            timeZone: Europe/Amsterdam
            defaultLanguage: en
            languages: [nl, en]
            weekendSends: keep
            leads: { users: [{{LeadAad}}] }
            contact: { name: Servicedesk, email: servicedesk@contoso.example }
            departments:
              - id: hr
                name: { nl: Personeelszaken, en: HR }
                team: "19:hr-team@thread.tacv2"
                channel: "19:hr-rollout@thread.tacv2"
                members: { users: [{{Users("hr")}}] }
              - id: finance
                name: { nl: Financiën, en: Finance }
                team: "19:fin-team@thread.tacv2"
                channel: "19:fin-rollout@thread.tacv2"
                members: { users: [{{Users("finance")}}] }
              - id: sales
                name: { nl: Verkoop, en: Sales }
                team: "19:sales-team@thread.tacv2"
                channel: "19:sales-rollout@thread.tacv2"
                members: { group: 11111111-1111-1111-1111-111111111103 }
                expectedSize: 10
            waves:
              - id: {{WaveId}}
                name: { nl: Golf 1, en: Wave 1 }
                departments: [hr, finance, sales]
                start: {{start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}}
            messages:
              - id: {{MessageId}}
                phase: post-enrollment
                offset: 3w
                time: "10:00"
                audience: both
                template: survey
                parameters:
                  survey: {{SurveyId}}
            """;
    }

    /// <summary>The action data a survey card of department <paramref name="department"/> sends, plus the given inputs.</summary>
    public static JsonObject Data(string department = "hr", JsonObject? inputs = null)
    {
        var data = new JsonObject { ["surveyId"] = SurveyId, ["messageId"] = MessageId, ["waveId"] = WaveId, ["departmentId"] = department };
        foreach (var (key, value) in inputs ?? [])
        {
            data[key] = value?.DeepClone();
        }
        return data;
    }

    /// <summary>Inputs of a valid answer.</summary>
    public static JsonObject Answer(string rating = "4", string success = "yes", string platform = "windows", string? duration = "15to30",
        string? problems = null, string? comment = null, string consent = "false")
    {
        var o = new JsonObject { ["rating"] = rating, ["success"] = success, ["platform"] = platform, ["consent"] = consent };
        if (duration is not null) o["duration"] = duration;
        if (problems is not null) o["problems"] = problems;
        if (comment is not null) o["comment"] = comment;
        return o;
    }

    /// <summary>An <c>adaptiveCard/action</c> invoke from user <paramref name="user"/>, in the hr channel post or their personal chat.</summary>
    public JsonObject Invoke(int user, string verb, JsonObject data, bool channel = true, string locale = "en-US", string? id = null)
    {
        var activity = new JsonObject
        {
            ["type"] = "invoke",
            ["name"] = "adaptiveCard/action",
            ["id"] = id ?? TestActivities.NextId(),
            ["channelId"] = "msteams",
            ["serviceUrl"] = Teams.ServiceUrl,
            ["locale"] = locale,
            ["replyToId"] = channel ? ChannelMessageId : $"personal-msg-{user}",
            ["from"] = new JsonObject { ["id"] = UserId(user), ["name"] = $"User {user}", ["aadObjectId"] = Aad(user) },
            ["recipient"] = new JsonObject { ["id"] = TestActivities.BotId, ["name"] = TestActivities.BotName },
            ["conversation"] = channel
                ? new JsonObject { ["id"] = ChannelConversation, ["conversationType"] = "channel", ["isGroup"] = true, ["tenantId"] = TestBot.TenantId }
                : new JsonObject { ["id"] = $"a:personal-{user}", ["conversationType"] = "personal", ["tenantId"] = TestBot.TenantId },
            ["channelData"] = channel
                ? new JsonObject
                {
                    ["tenant"] = new JsonObject { ["id"] = TestBot.TenantId },
                    ["team"] = new JsonObject { ["id"] = "19:hr-team@thread.tacv2" },
                    ["channel"] = new JsonObject { ["id"] = "19:hr-rollout@thread.tacv2" },
                }
                : new JsonObject { ["tenant"] = new JsonObject { ["id"] = TestBot.TenantId } },
            ["value"] = new JsonObject
            {
                ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data },
                ["trigger"] = verb == SurveyInvokeHandler.Refresh ? "automatic" : "manual",
            },
        };
        return activity;
    }

    /// <summary>Posts an activity with a valid Bot Connector token; returns status and parsed body.</summary>
    public async Task<(int Status, JsonNode? Body)> PostAsync(JsonObject activity)
    {
        var response = await Bot.PostAsync(activity);
        return (response.Status, response.Body);
    }

    /// <summary>Submits an answer and returns the card the user gets back.</summary>
    public async Task<JsonObject> SubmitAsync(int user, JsonObject inputs, string department = "hr", bool channel = true, string locale = "en-US")
    {
        var (status, body) = await PostAsync(Invoke(user, SurveyInvokeHandler.Submit, Data(department, inputs), channel, locale));
        Assert.Equal(200, status);
        Assert.Equal(200, (int)body!["statusCode"]!);
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string)body["type"]!);
        return body["value"]!.AsObject();
    }

    /// <summary>Installs the bot for a user (personal chat), so proactive 1:1 messages can reach them.</summary>
    public async Task InstallPersonalAsync(string aadObjectId, string userId, string locale = "en-US")
    {
        var activity = TestActivities.PersonalInstall(Teams.ServiceUrl);
        activity["from"] = new JsonObject { ["id"] = userId, ["aadObjectId"] = aadObjectId };
        activity["conversation"]!["id"] = "a:personal-" + aadObjectId;
        activity["locale"] = locale;
        var (status, _) = await PostAsync(activity);
        Assert.Equal(200, status);
    }

    /// <summary>
    /// Records the survey's 1:1 jobs for these members of <paramref name="department"/> as the dispatcher does, now on
    /// the fake clock: delivered, or (<paramref name="outcome"/>) failed. Bots using it run with Delivery:Enabled=false,
    /// so no dispatcher of their own takes the jobs.
    /// </summary>
    public async Task RecordSurveyJobsAsync(string department, int[] users, DeliveryOutcome outcome = DeliveryOutcome.Delivered)
    {
        var ct = TestContext.Current.CancellationToken;
        var store = Services.GetRequiredService<IDeliveryStore>();
        var now = Time.GetUtcNow();
        var send = $"{WaveId}/{MessageId}/{department}/members";
        var jobs = users.Select(u => new OutboxJob($"{send}|personal|{Aad(u)}", send, WaveId, MessageId, department, DeliveryKind.Personal, Aad(u), "en", now)).ToList();
        Assert.Equal(jobs.Count, await store.EnqueueAsync(jobs, ct));
        var leased = await store.LeaseAsync("feedback-test", jobs.Count, now, TimeSpan.FromMinutes(1), ct);
        Assert.Equal(jobs.Count, leased.Count);
        await store.RecordAsync([.. leased.Select(j => new JobUpdate(j.Job.Key, new DeliveryResult(outcome, null, outcome == DeliveryOutcome.Delivered ? 201 : 403)))], ct);
    }

    /// <summary>The plan's wave, for the lead wave commands (<see cref="TeamsRolloutBot.Commands.IWaveControl"/>).</summary>
    public Wave Wave => Services.GetRequiredService<PlanProvider>().Current!.FindWave(WaveId)!;

    /// <summary>Runs the SharePoint copy once (serialized with the background worker's own passes).</summary>
    public Task<int> SyncAsync() => Services.GetRequiredService<FeedbackSync>().RunOnceAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        if (_ownsGraph)
        {
            await Graph.DisposeAsync();
        }
    }
}

/// <summary>Reading helpers over rendered cards.</summary>
internal static class CardText
{
    /// <summary>Every text on a card (TextBlock texts, fact titles and values, input labels and values, action titles), joined.</summary>
    public static string All(JsonNode? card) => string.Join("\n", Texts(card));

    private static IEnumerable<string> Texts(JsonNode? node) => node switch
    {
        JsonObject o => o.Where(p => p.Key is "text" or "title" or "value" or "label" or "placeholder" && p.Value is JsonValue)
            .Select(p => p.Value!.ToString())
            .Concat(o.Where(p => p.Value is JsonObject or JsonArray).SelectMany(p => Texts(p.Value))),
        JsonArray a => a.SelectMany(Texts),
        _ => [],
    };

    /// <summary>The input with this id, or null.</summary>
    public static JsonObject? Input(JsonNode? node, string id) => node switch
    {
        JsonObject o when (string?)o["id"] == id && ((string?)o["type"])?.StartsWith("Input.", StringComparison.Ordinal) == true => o,
        JsonObject o => o.Select(p => Input(p.Value, id)).FirstOrDefault(x => x is not null),
        JsonArray a => a.Select(x => Input(x, id)).FirstOrDefault(x => x is not null),
        _ => null,
    };

    /// <summary>The texts shown in the Attention colour (the server's error texts).</summary>
    public static List<string> Errors(JsonNode? card) => [.. Blocks(card).Where(b => (string?)b["color"] == "Attention").Select(b => (string)b["text"]!)];

    private static IEnumerable<JsonObject> Blocks(JsonNode? node) => node switch
    {
        JsonObject o when (string?)o["type"] == "TextBlock" => [o],
        JsonObject o => o.SelectMany(p => Blocks(p.Value)),
        JsonArray a => a.SelectMany(Blocks),
        _ => [],
    };
}
