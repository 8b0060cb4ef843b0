using System.Net;
using System.Text.Json.Nodes;
using TeamsRolloutBot.Fakes;

namespace TeamsRolloutBot.Tests.Protocol;

/// <summary>
/// Malformed activities: a wrong JSON type, a duplicate name, undecodable text or deep nesting gets 400 problem+json
/// naming the field's JSON path; nulls that carry nothing are ignored; a broken invoke payload gets a 400 invoke
/// response naming the field.
/// </summary>
public sealed class MalformedActivityTests(BotFixture fixture) : IClassFixture<BotFixture>
{
    private TestBot Bot => fixture.Bot;

    private JsonObject Message(string text = "help") => TestActivities.PersonalMessage(Bot.Teams.ServiceUrl, text);

    private string Body(string what)
    {
        var activity = Message();
        switch (what)
        {
            case "conversation null": activity["conversation"] = null; break;
            case "from string": activity["from"] = "x"; break;
            case "recipient number": activity["recipient"] = 5; break;
            case "channelData array": activity["channelData"] = new JsonArray(); break;
            case "type number": activity["type"] = 5; break;
            case "text object": activity["text"] = new JsonObject(); break;
            case "entity string": activity["entities"] = new JsonArray("x"); break;
            case "attachment number": activity["attachments"] = new JsonArray(new JsonObject { ["contentType"] = 7 }); break;
            case "isGroup string": activity["conversation"]!["isGroup"] = "yes"; break;
            case "timestamp text": activity["timestamp"] = "yesterday"; break;
            case "huge user id": activity["from"]!["id"] = "29:" + new string('9', 1100); break;
            case "duplicate conversation id":
                return activity.ToJsonString().Replace("\"conversationType\":", "\"id\":\"a:other\",\"conversationType\":", StringComparison.Ordinal);
            case "lone surrogate": activity["text"] = "__lone__"; return activity.ToJsonString().Replace("__lone__", "help \\ud83d", StringComparison.Ordinal);
            case "nested 65 deep": activity["value"] = "__deep__"; return activity.ToJsonString().Replace("\"__deep__\"", Nested(65), StringComparison.Ordinal);
            case "nested 20000 deep": activity["value"] = "__deep__"; return activity.ToJsonString().Replace("\"__deep__\"", Nested(20_000), StringComparison.Ordinal);
            default: throw new ArgumentOutOfRangeException(nameof(what), what, null);
        }
        return activity.ToJsonString();
    }

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    [Theory]
    [InlineData("conversation null", "$.conversation.id", "Required field(s) missing: conversation.id")]
    [InlineData("from string", "$.from", "must be an object")]
    [InlineData("recipient number", "$.recipient", "must be an object")]
    [InlineData("channelData array", "$.channelData", "must be an object")]
    [InlineData("type number", "$.type", "must be a string")]
    [InlineData("text object", "$.text", "must be a string")]
    [InlineData("entity string", "$.entities[0]", "must be an object")]
    [InlineData("attachment number", "$.attachments[0].contentType", "must be a string")]
    [InlineData("isGroup string", "$.conversation.isGroup", "must be true or false")]
    [InlineData("timestamp text", "$.timestamp", "must be a date and time")]
    [InlineData("huge user id", "$.from.id", "is longer than 1024 characters")]
    [InlineData("duplicate conversation id", "$.conversation.id", "appears more than once")]
    [InlineData("lone surrogate", "$.text", "is not valid Unicode text")]
    [InlineData("nested 65 deep", "$.value[0][0][0]", "nests deeper than 64 levels")]
    [InlineData("nested 20000 deep", "$.value[0][0][0]", "nests deeper than 64 levels")]
    public async Task A_malformed_field_gets_400_problem_json_naming_its_json_path(string what, string path, string says)
    {
        var before = Bot.Teams.Calls.Count;
        var response = await Bot.PostRawAsync(Body(what), Auth.Bearer(Bot.Token(Bot.Teams.ServiceUrl)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType);
        var problem = JsonNode.Parse(response.Text)!;
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(path), $"{what}: errors name {string.Join(", ", errors.Select(e => e.Key))}, not {path}");
        Assert.Contains(says, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, Bot.Teams.Calls.Count);
    }

    [Theory]
    [InlineData("entities")]
    [InlineData("attachments")]
    public async Task Null_elements_in_arrays_are_ignored_and_the_message_is_answered(string field)
    {
        var activity = Message();
        activity[field] = new JsonArray(null, null);
        activity["value"] = null;
        var before = Bot.Teams.Calls.Count;

        var response = await Bot.PostAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = Assert.Single(Bot.CallsSince(before));
        Assert.Contains("/activities/" + activity["id"], reply.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_install_with_a_null_member_still_welcomes_once()
    {
        var install = TestActivities.TeamInstall(Bot.Teams.ServiceUrl);
        install["conversation"]!["id"] = "19:null-members@thread.tacv2";
        install["membersAdded"] = new JsonArray(null, new JsonObject { ["id"] = TestActivities.BotId }, null);
        install["entities"] = new JsonArray((JsonNode?)null);
        var before = Bot.Teams.Calls.Count;

        var response = await Bot.PostAsync(install);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var welcome = Assert.Single(Bot.CallsSince(before));
        Assert.Equal("application/vnd.microsoft.card.adaptive", welcome.Json!["attachments"]![0]!["contentType"]!.GetValue<string>());
    }

    public static TheoryData<string, string, string> BrokenInvokes => new()
    {
        { "adaptiveCard/action", "\"x\"", "value" },
        { "adaptiveCard/action", "{\"action\":5}", "value.action" },
        { "adaptiveCard/action", "{\"action\":{\"type\":\"Action.Execute\",\"data\":{}}}", "value.action.verb" },
        { "adaptiveCard/action", "{\"action\":{\"type\":\"Action.Execute\",\"verb\":[\"run\"]}}", "value.action.verb" },
        { "fileConsent/invoke", "\"x\"", "value" },
        { "fileConsent/invoke", "{\"action\":\"maybe\",\"context\":{\"kind\":\"feedback\"}}", "value.action" },
        { "fileConsent/invoke", "{\"action\":\"accept\",\"context\":[]}", "value.context.kind" },
        { "fileConsent/invoke", "{\"action\":5,\"context\":{\"kind\":\"feedback\"}}", "value.action" },
        { "fileConsent/invoke", "{\"action\":\"accept\",\"context\":{\"kind\":7}}", "value.context.kind" },
    };

    [Theory]
    [MemberData(nameof(BrokenInvokes))]
    public async Task An_invoke_with_a_broken_value_gets_a_400_invoke_response_naming_the_field(string name, string value, string field)
    {
        var activity = Message();
        activity.Remove("text");
        activity["type"] = "invoke";
        activity["name"] = name;
        activity["value"] = JsonNode.Parse(value);

        var response = await Bot.PostAsync(activity);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(response.Text)!;
        Assert.Equal(400, body["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.error", body["type"]!.GetValue<string>());
        Assert.Equal("BadRequest", body["value"]!["code"]!.GetValue<string>());
        Assert.Contains($": {field} is missing or not valid", body["value"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_broken_invoke_message_is_in_the_users_language()
    {
        var activity = TestActivities.PersonalMessage(Bot.Teams.ServiceUrl, "", locale: "nl-NL");
        activity["type"] = "invoke";
        activity["name"] = "adaptiveCard/action";
        activity["value"] = "x";

        var response = await Bot.PostAsync(activity);

        var body = JsonNode.Parse(response.Text)!;
        Assert.Contains("value ontbreekt of is ongeldig", body["value"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
