using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Fakes;

namespace TeamsRolloutBot.Tests.Protocol;

/// <summary>The outbound connector client against a fake connector: paths, tokens, retries and outcomes.</summary>
public sealed class ConnectorClientTests(BotFixture fixture) : IClassFixture<BotFixture>
{
    private TestBot Bot => fixture.Bot;

    private ConnectorClient Client => Bot.Services.GetRequiredService<ConnectorClient>();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_short_Retry_After_is_waited_out_and_the_send_succeeds()
    {
        Bot.Teams.Enqueue(429, """{"error":{"code":"Throttled"}}""", retryAfter: "1");
        var before = Bot.Teams.Calls.Count;
        var result = await Client.SendToConversationAsync(Bot.Teams.ServiceUrl, "a:1", Activity.CreateMessage("hi"), Ct);

        Assert.Equal(ConnectorOutcome.Delivered, result.Outcome);
        var calls = Bot.CallsSince(before);
        Assert.Equal(2, calls.Count);
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromMilliseconds(900), $"retried after {(calls[1].At - calls[0].At).TotalMilliseconds} ms, before Retry-After");
    }

    [Fact]
    public async Task Gateway_errors_are_retried_then_reported_as_transient()
    {
        for (var i = 0; i < 4; i++)
        {
            Bot.Teams.Enqueue(502, "bad gateway");
        }
        var before = Bot.Teams.Calls.Count;
        var result = await Client.SendToConversationAsync(Bot.Teams.ServiceUrl, "a:1", Activity.CreateMessage("hi"), Ct);
        Assert.Equal(ConnectorOutcome.Transient, result.Outcome);
        Assert.Equal(4, Bot.CallsSince(before).Count);
    }

    [Theory]
    [InlineData(403, """{"error":{"code":"ConversationBlockedByUser","message":"User blocked the conversation with the Bot."}}""", ConnectorOutcome.BotBlocked)]
    [InlineData(403, """{"errorCode":209,"message":"{\"subCode\":\"MessageWritesBlocked\"}"}""", ConnectorOutcome.BotBlocked)]
    [InlineData(403, """{"error":{"code":"BotNotInConversationRoster","message":"The bot is not part of the conversation roster."}}""", ConnectorOutcome.RecipientGone)]
    [InlineData(404, """{"error":{"code":"ConversationNotFound","message":"Conversation not found."}}""", ConnectorOutcome.RecipientGone)]
    [InlineData(500, """{"error":{"code":"ConversationNotFound","message":"Conversation not found."}}""", ConnectorOutcome.RecipientGone)]
    [InlineData(500, """{"error":{"code":"UserNotFound","message":"User not found."}}""", ConnectorOutcome.RecipientGone)]
    [InlineData(400, """{"error":{"code":"BadArgument","message":"Unknown activity type"}}""", ConnectorOutcome.Permanent)]
    [InlineData(413, """{"error":{"code":"MessageSizeTooBig"}}""", ConnectorOutcome.Permanent)]
    [InlineData(401, """{"error":{"code":"BotNotRegistered"}}""", ConnectorOutcome.Permanent)]
    public async Task Refusals_are_classified_without_retrying(int status, string body, ConnectorOutcome expected)
    {
        Bot.Teams.Enqueue(status, body);
        var before = Bot.Teams.Calls.Count;
        var result = await Client.SendToConversationAsync(Bot.Teams.ServiceUrl, "a:1", Activity.CreateMessage("hi"), Ct);
        Assert.Equal(expected, result.Outcome);
        Assert.Equal((HttpStatusCode)status, result.StatusCode);
        Assert.Single(Bot.CallsSince(before));
    }

    [Fact]
    public async Task Ids_are_escaped_and_the_serviceUrl_path_is_kept()
    {
        var before = Bot.Teams.Calls.Count;
        const string conversation = "19:abc@thread.tacv2;messageid=123";
        await Client.UpdateActivityAsync(Bot.Teams.ServiceUrl, conversation, "1/2", Activity.CreateMessage("updated"), Ct);
        var call = Assert.Single(Bot.CallsSince(before));
        Assert.Equal("PUT", call.Method);
        Assert.Equal("/teams/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D123/activities/1%2F2", call.Path);
        Assert.Equal("1/2", call.Json!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_conversation_delete_and_paged_members_use_the_connector_api()
    {
        var before = Bot.Teams.Calls.Count;
        var created = await Client.CreatePersonalConversationAsync(Bot.Teams.ServiceUrl, TestActivities.BotId, "29:user-2", TestBot.TenantId, Ct);
        Assert.True(created.IsSuccess);
        Assert.Equal(FakeTeams.PersonalId("29:user-2"), created.Value!.Id);

        var thread = await Client.CreateChannelThreadAsync(Bot.Teams.ServiceUrl, "19:it@thread.tacv2", TestBot.TenantId, Activity.CreateMessage("new post"), Ct);
        Assert.True(thread.IsSuccess);

        Bot.Teams.Enqueue(404, """{"error":{"code":"NotFound"}}""");
        var deleted = await Client.DeleteActivityAsync(Bot.Teams.ServiceUrl, "a:1", "42", Ct);
        Assert.True(deleted.IsSuccess, "a 404 on delete means it is already gone");

        Bot.Teams.Enqueue(200, """{"members":[{"id":"29:a","aadObjectId":"A"}],"continuationToken":"next page"}""");
        Bot.Teams.Enqueue(200, """{"members":[{"id":"29:b","aadObjectId":"B"}]}""");
        var members = new List<string>();
        await foreach (var member in Client.GetAllMembersAsync(Bot.Teams.ServiceUrl, "19:team@thread.tacv2", Ct))
        {
            members.Add(member.AadObjectId!);
        }
        Assert.Equal(["A", "B"], members);

        var calls = Bot.CallsSince(before);
        Assert.Equal("/teams/v3/conversations", calls[0].Path);
        Assert.Equal("29:user-2", calls[0].Json!["members"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("19:it@thread.tacv2", calls[1].Json!["channelData"]!["channel"]!["id"]!.GetValue<string>());
        Assert.Equal("new post", calls[1].Json!["activity"]!["text"]!.GetValue<string>());
        Assert.Equal("DELETE", calls[2].Method);
        Assert.EndsWith("pagedmembers?pageSize=500&continuationToken=next%20page", calls[4].Path, StringComparison.Ordinal);
        Assert.All(calls, c => Assert.Equal("Bearer " + TestBot.OutboundToken, c.Authorization));
    }

    [Theory]
    [InlineData("https://evil.example/teams/")]
    [InlineData("https://smba.trafficmanager.net.evil.example/")]
    [InlineData("http://smba.trafficmanager.net/amer/")]
    [InlineData("https://user@smba.trafficmanager.net/amer/")]
    [InlineData("not a url")]
    public async Task Calls_to_serviceUrls_off_the_allow_list_are_refused_before_any_request(string serviceUrl)
    {
        var result = await Client.SendToConversationAsync(serviceUrl, "a:1", Activity.CreateMessage("hi"), Ct);
        Assert.Equal(ConnectorOutcome.Permanent, result.Outcome);
        Assert.Equal("ServiceUrlNotAllowed", result.ErrorCode);
    }

    [Theory]
    [InlineData("https://evil.example/teams/v3/conversations", false)]
    [InlineData("https://smba.trafficmanager.net.evil.example/v3/conversations", false)]
    [InlineData("http://smba.trafficmanager.net/amer/v3/conversations", false)]
    [InlineData("https://smba.trafficmanager.net/amer/v3/conversations", true)]
    public async Task The_token_handler_adds_the_token_only_for_allow_listed_serviceUrls(string url, bool withToken)
    {
        using var handler = Bot.Services.GetRequiredService<BotAuthorizationHandler>();
        var seen = new List<string?>();
        handler.InnerHandler = new Capture(seen);
        using var invoker = new HttpMessageInvoker(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "stale");
        using var response = await invoker.SendAsync(request, Ct);
        Assert.Equal(withToken ? "Bearer " + TestBot.OutboundToken : null, Assert.Single(seen));
    }

    private sealed class Capture(List<string?> seen) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Add(request.Headers.Authorization?.ToString());
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }

    [Fact]
    public void Teams_hosts_are_allowed_by_exact_name()
    {
        var policy = Bot.Services.GetRequiredService<ServiceUrlPolicy>();
        Assert.True(policy.IsAllowed("https://smba.trafficmanager.net/emea/"));
        Assert.True(policy.IsAllowed("https://smba.infra.gcc.teams.microsoft.com/"));
        Assert.False(policy.IsAllowed("https://x.smba.trafficmanager.net/emea/"));
        Assert.False(policy.IsAllowed("http://localhost:56150/"), "localhost is only for local Playground mode");
    }
}

/// <summary>
/// A long Retry-After pauses the whole tenant's pacer (no retry goes out before it ends), so this test has a bot of its
/// own: in <see cref="ConnectorClientTests"/> the pause would hold the retries of the tests that follow it.
/// </summary>
public sealed class ConnectorLongRetryAfterTests(BotFixture fixture) : IClassFixture<BotFixture>
{
    private TestBot Bot => fixture.Bot;

    private ConnectorClient Client => Bot.Services.GetRequiredService<ConnectorClient>();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_long_Retry_After_comes_back_as_Throttled_for_the_caller_to_schedule()
    {
        Bot.Teams.Enqueue(429, """{"error":{"code":"Throttled","message":"slow down"}}""", retryAfter: "120");
        var before = Bot.Teams.Calls.Count;
        var result = await Client.SendToConversationAsync(Bot.Teams.ServiceUrl, "a:1", Activity.CreateMessage("hi"), Ct);

        Assert.Equal(ConnectorOutcome.Throttled, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(120), result.RetryAfter);
        Assert.Single(Bot.CallsSince(before));
    }
}
