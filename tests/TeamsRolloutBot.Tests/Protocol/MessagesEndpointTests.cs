using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using TeamsRolloutBot.Fakes;

namespace TeamsRolloutBot.Tests.Protocol;

/// <summary>What /api/messages answers to bad bodies and methods, and that it keeps serving afterwards.</summary>
public sealed class MessagesEndpointTests(BotFixture fixture) : IClassFixture<BotFixture>
{
    private TestBot Bot => fixture.Bot;

    private string Valid => Auth.Bearer(Bot.Token(Bot.Teams.ServiceUrl));

    public static TheoryData<string, string> BadBodies => new()
    {
        { "malformed", "{\"type\": \"message\", \"text\": }" },
        { "truncated", "{\"type\":\"message\",\"id\":\"1\",\"channelId\":\"msteams\",\"serviceUrl\":\"http://x\",\"conversation\":{\"id\":\"a" },
        { "empty", "" },
        { "not an object", "[1,2,3]" },
        { "null", "null" },
        { "wrong field type", "{\"type\":\"message\",\"conversation\":\"not-an-object\"}" },
        { "missing type", "{\"id\":\"1\",\"channelId\":\"msteams\",\"serviceUrl\":\"http://127.0.0.1/\",\"conversation\":{\"id\":\"a:1\"}}" },
        { "missing conversation", "{\"type\":\"message\",\"id\":\"1\",\"channelId\":\"msteams\",\"serviceUrl\":\"http://127.0.0.1/\"}" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_bodies_get_400_problem_json_without_a_stack_trace_and_the_next_request_still_works(string what, string body)
    {
        var bad = await Bot.PostRawAsync(body, Valid);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.ContentType);
        var problem = bad.Text;
        Assert.DoesNotContain("   at ", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", problem, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(JsonNode.Parse(problem)!["detail"]?.GetValue<string>()), $"{what}: the problem does not say what is wrong");

        var good = await Bot.PostAsync(TestActivities.PersonalMessage(Bot.Teams.ServiceUrl, "help"));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }

    [Fact]
    public async Task Missing_fields_are_named_in_the_problem()
    {
        var bad = await Bot.PostRawAsync("{\"type\":\"message\",\"id\":\"1\"}", Valid);
        var detail = JsonNode.Parse(bad.Text)!["detail"]!.GetValue<string>();
        Assert.Contains("channelId", detail, StringComparison.Ordinal);
        Assert.Contains("serviceUrl", detail, StringComparison.Ordinal);
        Assert.Contains("conversation.id", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversized_bodies_get_413_with_or_without_content_length_and_the_bot_keeps_serving()
    {
        var huge = TestActivities.PersonalMessage(Bot.Teams.ServiceUrl, new string('x', 300 * 1024)).ToJsonString();
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await Bot.PostRawAsync(huge, Valid)).StatusCode);

        using (var chunked = new HttpRequestMessage(HttpMethod.Post, "/api/messages"))
        {
            chunked.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge)));
            chunked.Content.Headers.ContentType = new("application/json");
            chunked.Headers.TransferEncodingChunked = true;
            chunked.Headers.TryAddWithoutValidation("Authorization", Valid);
            using var response = await Bot.Client.SendAsync(chunked, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }

        var good = await Bot.PostAsync(TestActivities.PersonalMessage(Bot.Teams.ServiceUrl, "help"));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Other_methods_get_405(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "/api/messages");
        using var response = await Bot.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_fields_and_activity_types_are_accepted()
    {
        var activity = TestActivities.PersonalMessage(Bot.Teams.ServiceUrl, "");
        activity["type"] = "somethingNew";
        activity["brandNewField"] = new JsonObject { ["nested"] = 1 };
        var response = await Bot.PostAsync(activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_unhandled_invoke_gets_501()
    {
        var activity = TestActivities.PersonalMessage(Bot.Teams.ServiceUrl, "");
        activity["type"] = "invoke";
        activity["name"] = "composeExtension/query";
        var response = await Bot.PostAsync(activity);
        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
    }

    [Fact]
    public async Task Health_endpoints_answer()
    {
        using var live = await Bot.Client.GetAsync("/healthz", TestContext.Current.CancellationToken);
        using var ready = await Bot.Client.GetAsync("/readyz", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
