using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using TeamsRolloutBot.Fakes;

namespace TeamsRolloutBot.Tests.Commands;

/// <summary>
/// The commands suites' fixture: a <see cref="TestBot"/> with a small test plan, a fake Graph and a fake clock for the
/// commands (start: 2027-07-01 08:00 UTC, before every wave), and the suites' helpers. One per test class. A suite that
/// needs other plan settings derives and overrides <see cref="PlanText"/>.
/// </summary>
public class CommandsHarness : IAsyncLifetime
{
    public const string LeadId = "00000000-0000-0000-0000-0000000000a1";
    public const string SecondLeadId = "00000000-0000-0000-0000-0000000000a2";
    public const string UpnLeadId = "00000000-0000-0000-0000-0000000000a3";
    public const string GroupLeadId = "00000000-0000-0000-0000-0000000000a4";
    public const string MemberId = "00000000-0000-0000-0000-0000000000b1";
    public const string LeadGroup = "33333333-3333-3333-3333-333333333333";
    public const string BigGroup = "44444444-4444-4444-4444-444444444444";

    public const string Plan = """
        rollout: Commands test rollout
        timeZone: Europe/Amsterdam
        defaultLanguage: en
        languages: [nl, en]
        leads:
          users: [00000000-0000-0000-0000-0000000000a1, 00000000-0000-0000-0000-0000000000a2, upn.lead@contoso.example]
          group: 33333333-3333-3333-3333-333333333333
        departments:
          - id: small
            name: { nl: Klein, en: Small }
            team: "19:small-team@thread.tacv2"
            channel: "19:small@thread.tacv2"
            members: { users: [00000000-0000-0000-0000-0000000000c1, 00000000-0000-0000-0000-0000000000c2, 00000000-0000-0000-0000-0000000000c3] }
          - id: big
            name: { nl: Groot, en: Big }
            team: "19:big-team@thread.tacv2"
            channel: "19:big@thread.tacv2"
            members: { group: 44444444-4444-4444-4444-444444444444 }
            expectedSize: 100
        waves:
          - { id: pilot, name: { nl: Proefgolf, en: Pilot wave }, departments: [small], start: 2027-07-05 }
          - { id: main, name: { nl: Hoofdgolf, en: Main wave }, departments: [big], start: 2027-08-02 }
          - { id: autumn, name: { nl: Herfst, en: Autumn }, departments: [small], start: 2027-09-06 }
          - { id: winter, name: { nl: Winter, en: Winter }, departments: [small], start: 2027-12-06 }
        messages:
          - id: prepare
            phase: pre-enrollment
            offset: 0w
            time: "09:30"
            audience: both
            template: pre-enrollment
            parameters:
              resources:
                - { title: { nl: Wat is Intune?, en: What is Intune? }, url: https://learn.microsoft.com/mem/intune/fundamentals/what-is-intune }
          - id: enroll
            phase: enrollment
            offset: 1w
            time: "09:00"
            audience: members
            template: enrollment
            parameters:
              platforms: [windows, ios]
        """;

    /// <summary>The plan the bot runs: <see cref="Plan"/> unless a derived fixture changes it.</summary>
    protected virtual string PlanText => Plan;

    public FakeGraph Graph { get; private set; } = null!;
    public FakeUpload Upload { get; private set; } = null!;
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2027, 7, 1, 8, 0, 0, TimeSpan.Zero));
    public TestBot Bot { get; private set; } = null!;
    public FakeTeams Teams => Bot.Teams;
    public FakeOpenIdServer OpenId => Bot.OpenId;
    public HttpClient Client => Bot.Client;
    public IServiceProvider Services => Bot.Services;
    public string PlanPath => Bot.PlanPath!;

    public async ValueTask InitializeAsync()
    {
        Graph = await FakeGraph.StartAsync();
        Upload = await FakeUpload.StartNewAsync();
        Graph.Directory.AddUser(new FakeUser(UpnLeadId, null, UserPrincipalName: "upn.lead@contoso.example"));
        Graph.Directory.AddUser(new FakeUser(MemberId, null, UserPrincipalName: "member@contoso.example"));
        Graph.Directory.Groups[LeadGroup] = [new FakeUser(GroupLeadId, null)];
        Graph.Directory.GroupCounts[BigGroup] = 120;
        Bot = await TestBot.Create()
            .WithPlan(PlanText)
            .WithGraph(Graph.BaseUrl)
            .WithSetting("Commands:ConfirmAbove", "50")
            // The delivery engine's store is there (counts, export), its scheduler does not run: tests seed what it recorded.
            .WithSetting("Delivery:Enabled", "false")
            .WithCommandsClock(Clock)
            .StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Upload.DisposeAsync();
        await Graph.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Posts an activity with a valid Bot Connector token.</summary>
    public Task<TestResponse> PostAsync(JsonObject activity) => Bot.PostAsync(activity);

    /// <summary>Sends a message and returns the bot's replies (the connector calls it caused).</summary>
    public async Task<IReadOnlyList<ConnectorCall>> SayAsync(JsonObject activity)
    {
        var before = Teams.Calls.Count;
        var response = await PostAsync(activity);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return Bot.CallsSince(before);
    }

    /// <summary>Sends a personal message as <paramref name="user"/> and returns the single reply.</summary>
    public async Task<Reply> AskAsync(string text, string user = LeadId, string locale = "en-US")
    {
        var calls = await SayAsync(Personal(text, user, locale));
        return new Reply(Assert.Single(calls));
    }

    /// <summary>Sends an invoke and returns the HTTP response body (the invoke response).</summary>
    public async Task<(int Status, JsonNode? Body)> InvokeAsync(JsonObject activity)
    {
        var response = await PostAsync(activity);
        return (response.Status, response.Body);
    }

    /// <summary>Teams' <c>fileConsent/invoke</c> when the user accepts or declines the export's file consent card.</summary>
    public JsonObject FileConsent(string action, string kind = "deliveries", string user = LeadId, string locale = "en-US")
    {
        var activity = Personal("", user, locale);
        activity.Remove("text");
        activity["type"] = "invoke";
        activity["name"] = "fileConsent/invoke";
        activity["value"] = new JsonObject
        {
            ["type"] = "fileUpload",
            ["action"] = action,
            ["context"] = new JsonObject { ["kind"] = kind },
            ["uploadInfo"] = new JsonObject
            {
                ["contentUrl"] = "https://contoso-my.sharepoint.com/personal/lotte/Documents/Applications/Rollout/export.csv",
                ["name"] = "rollout-" + kind + ".csv",
                ["uploadUrl"] = Upload.Url + "/upload/session-1",
                ["uniqueId"] = "1150D938-8870-4044-9F2C-5BBDEBA70C8C",
                ["fileType"] = "csv",
            },
        };
        return activity;
    }

    public JsonObject Personal(string text, string user = LeadId, string locale = "en-US")
    {
        var activity = TestActivities.PersonalMessage(Teams.ServiceUrl, text, locale);
        activity["from"] = From(user);
        activity["conversation"]!["id"] = "a:personal-" + user;
        return activity;
    }

    public JsonObject Channel(string text, string user = LeadId, bool mention = true)
    {
        var activity = TestActivities.ChannelMessage(Teams.ServiceUrl, text, mention);
        activity["from"] = From(user);
        return activity;
    }

    /// <summary>An Action.Execute click on a card (<c>adaptiveCard/action</c> invoke).</summary>
    public JsonObject CardAction(string verb, JsonObject data, string user = LeadId, bool channel = false, string locale = "en-US")
    {
        var activity = channel ? Channel("", user) : Personal("", user, locale);
        activity["type"] = "invoke";
        activity["name"] = "adaptiveCard/action";
        activity.Remove("text");
        activity.Remove("entities");
        activity["replyToId"] = "card-activity-1";
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data },
            ["trigger"] = "manual",
        };
        return activity;
    }

    public static JsonObject From(string user) => new()
    {
        ["id"] = "29:" + user,
        ["name"] = user switch
        {
            LeadId => "Lotte Lead",
            SecondLeadId => "Sam Second",
            UpnLeadId => "Uma Upn",
            GroupLeadId => "Gerrit Group",
            _ => "Bram Member",
        },
        ["aadObjectId"] = user,
    };
}

/// <summary>One reply of the bot as the user sees it: its text, or the texts of its card, and its card actions.</summary>
public sealed record Reply(ConnectorCall Call)
{
    public JsonNode Json => Call.Json!;

    public JsonObject? Card => Json["attachments"]?[0]?["contentType"]?.GetValue<string>() == "application/vnd.microsoft.card.adaptive"
        ? Json["attachments"]![0]!["content"]!.AsObject()
        : null;

    /// <summary>Everything a user reads: the text plus every TextBlock and fact of the card.</summary>
    public string Text => (Json["text"]?.GetValue<string>() ?? "") + (Card is { } card ? "\n" + Visible(card) : "");

    public IReadOnlyList<JsonObject> Actions => Card is { } card ? AllActions(card) : [];

    public static string Visible(JsonNode node) => string.Join("\n", Walk(node).SelectMany(n =>
        n is JsonObject o && o["type"]?.GetValue<string>() == "TextBlock" ? [o["text"]!.GetValue<string>()]
        : n is JsonObject f && f["type"]?.GetValue<string>() == "FactSet" ? f["facts"]!.AsArray().Select(x => $"{x!["title"]}: {x["value"]}")
        : []));

    public static IReadOnlyList<JsonObject> AllActions(JsonNode card) =>
        [.. Walk(card).OfType<JsonObject>().Where(o => o["type"]?.GetValue<string>() == "Action.Execute")];

    private static IEnumerable<JsonNode> Walk(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Where(p => p.Key != "fallback").Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            foreach (var n in Walk(child))
            {
                yield return n;
            }
        }
    }
}
