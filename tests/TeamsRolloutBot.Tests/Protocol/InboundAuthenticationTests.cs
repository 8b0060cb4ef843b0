using System.Net;
using System.Security.Cryptography;
using TeamsRolloutBot.Fakes;

namespace TeamsRolloutBot.Tests.Protocol;

/// <summary>Every rule of the Bot Connector's JWT, through the real /api/messages pipeline.</summary>
public sealed class InboundAuthenticationTests(BotFixture fixture) : IClassFixture<BotFixture>
{
    private TestBot Bot => fixture.Bot;

    private string ServiceUrl => Bot.Teams.ServiceUrl;

    private async Task<HttpStatusCode> PostWith(string? authorization, Action<System.Text.Json.Nodes.JsonObject>? change = null)
    {
        var activity = TestActivities.PersonalMessage(ServiceUrl, "help");
        change?.Invoke(activity);
        var response = await Bot.PostRawAsync(activity.ToJsonString(), authorization);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_valid_token_is_accepted_and_the_reply_carries_the_outbound_token()
    {
        var before = Bot.Teams.Calls.Count;
        Assert.Equal(HttpStatusCode.OK, await PostWith(Auth.Bearer(Bot.Token(ServiceUrl))));
        var call = Assert.Single(Bot.CallsSince(before));
        Assert.Equal("Bearer " + TestBot.OutboundToken, call.Authorization);
    }

    [Fact]
    public async Task No_token_is_refused_with_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await PostWith(null));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostWith("Basic dXNlcjpwYXNz"));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostWith("Bearer not-a-jwt"));
    }

    [Fact]
    public async Task A_forged_signature_is_refused() =>
        Assert.Equal(HttpStatusCode.Unauthorized, await PostWith(Auth.Bearer(Bot.OpenId.CreateToken(TestBot.AppId, ServiceUrl, forged: true))));

    [Fact]
    public async Task A_token_for_another_bot_is_refused() =>
        Assert.Equal(HttpStatusCode.Unauthorized, await PostWith(Auth.Bearer(Bot.OpenId.CreateToken(Guid.NewGuid().ToString(), ServiceUrl))));

    [Fact]
    public async Task A_token_from_another_issuer_is_refused() =>
        Assert.Equal(HttpStatusCode.Unauthorized, await PostWith(Auth.Bearer(Bot.OpenId.CreateToken(TestBot.AppId, ServiceUrl,
            issuer: "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/"))));

    [Fact]
    public async Task An_expired_token_is_refused_beyond_five_minutes_of_skew()
    {
        var now = DateTime.UtcNow;
        Assert.Equal(HttpStatusCode.Unauthorized, await PostWith(Auth.Bearer(Bot.OpenId.CreateToken(TestBot.AppId, ServiceUrl,
            notBefore: now.AddHours(-2), expires: now.AddMinutes(-6)))));
        Assert.Equal(HttpStatusCode.OK, await PostWith(Auth.Bearer(Bot.OpenId.CreateToken(TestBot.AppId, ServiceUrl,
            notBefore: now.AddHours(-2), expires: now.AddMinutes(-3)))));
    }

    [Fact]
    public async Task A_token_not_yet_valid_is_refused() =>
        Assert.Equal(HttpStatusCode.Unauthorized, await PostWith(Auth.Bearer(Bot.OpenId.CreateToken(TestBot.AppId, ServiceUrl,
            notBefore: DateTime.UtcNow.AddMinutes(20), expires: DateTime.UtcNow.AddMinutes(60)))));

    [Fact]
    public async Task A_symmetric_or_unsigned_token_is_refused()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await PostWith(Auth.Bearer(FakeOpenIdServer.CreateSymmetricToken(TestBot.AppId, ServiceUrl))));
        var parts = Bot.Token(ServiceUrl).Split('.');
        var none = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, await PostWith($"Bearer {none}.{parts[1]}."));
    }

    [Fact]
    public async Task A_key_without_the_channels_endorsement_is_refused_with_403() =>
        // The published key is endorsed for msteams only.
        Assert.Equal(HttpStatusCode.Forbidden, await PostWith(Auth.Bearer(Bot.Token(ServiceUrl)), a => a["channelId"] = "webchat"));

    [Fact]
    public async Task A_serviceurl_claim_that_differs_from_the_activity_is_refused_with_403()
    {
        Assert.Equal(HttpStatusCode.Forbidden, await PostWith(Auth.Bearer(Bot.OpenId.CreateToken(TestBot.AppId, "https://smba.trafficmanager.net/emea/"))));
        Assert.Equal(HttpStatusCode.Forbidden, await PostWith(Auth.Bearer(Bot.OpenId.CreateToken(TestBot.AppId, ServiceUrl, includeServiceUrl: false))));
    }

    [Fact]
    public async Task An_activity_from_another_tenant_is_refused_with_403() =>
        Assert.Equal(HttpStatusCode.Forbidden, await PostWith(Auth.Bearer(Bot.Token(ServiceUrl)), a =>
        {
            a["conversation"]!["tenantId"] = "11111111-0000-0000-0000-000000000000";
            a["channelData"]!["tenant"]!["id"] = "11111111-0000-0000-0000-000000000000";
        }));

    [Fact]
    public async Task A_rolled_over_key_is_fetched_on_first_sight_and_unknown_keys_stay_refused()
    {
        using var rolled = RSA.Create(2048);
        Bot.OpenId.ExtraKeys.Add(("rolled-key", rolled));
        var requestsBefore = Bot.OpenId.KeysRequests;
        Assert.Equal(HttpStatusCode.OK, await PostWith(Auth.Bearer(Bot.OpenId.CreateToken(TestBot.AppId, ServiceUrl, kid: "rolled-key", key: rolled))));
        Assert.True(Bot.OpenId.KeysRequests > requestsBefore, "the key set was not refreshed for an unknown kid");

        using var stranger = RSA.Create(2048);
        Assert.Equal(HttpStatusCode.Unauthorized, await PostWith(Auth.Bearer(Bot.OpenId.CreateToken(TestBot.AppId, ServiceUrl, kid: "stranger", key: stranger))));
    }

    [Fact]
    public async Task No_token_ever_reaches_a_serviceUrl_that_is_not_allow_listed()
    {
        await using var rogue = await FakeTeams.StartAsync();
        var activity = TestActivities.PersonalMessage(rogue.ServiceUrl, "help");
        var response = await Bot.PostAsync(activity);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        var install = TestActivities.PersonalInstall(rogue.ServiceUrl);
        var second = await Bot.PostAsync(install);
        Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
        Assert.Empty(rogue.Calls);
    }

    [Fact]
    public async Task Refusals_do_not_reveal_the_reason_or_the_token()
    {
        var token = Bot.OpenId.CreateToken(TestBot.AppId, ServiceUrl, forged: true);
        var activity = TestActivities.PersonalMessage(ServiceUrl, "help");
        var response = await Bot.PostRawAsync(activity.ToJsonString(), Auth.Bearer(token));
        var body = response.Text;
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(token, body, StringComparison.Ordinal);
        Assert.DoesNotContain("signature", body, StringComparison.OrdinalIgnoreCase);
    }
}
