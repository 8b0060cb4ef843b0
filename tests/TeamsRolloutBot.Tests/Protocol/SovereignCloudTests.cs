using System.Net;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Graph;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Tests.Protocol;

/// <summary>
/// <c>Bot:Cloud</c> sets the inbound token issuer, the outbound scopes, the serviceUrl allow-list, the default connector
/// and Graph together: per cloud, through the real /api/messages pipeline with tokens from the loopback issuer.
/// </summary>
public sealed class SovereignCloudTests
{
    public static TheoryData<string, string, string, string, string, string> Clouds => new()
    {
        // cloud, token issuer, connector scope, Teams host, default serviceUrl, Graph
        { "Public", "https://api.botframework.com", "https://api.botframework.com/.default", "smba.trafficmanager.net", "https://smba.trafficmanager.net/teams/", "https://graph.microsoft.com/v1.0" },
        { "USGov", "https://api.botframework.us", "https://api.botframework.us/.default", "smba.infra.gov.teams.microsoft.us", "https://smba.infra.gov.teams.microsoft.us/teams/", "https://graph.microsoft.us/v1.0" },
        { "USGovDoD", "https://api.botframework.us", "https://api.botframework.us/.default", "smba.infra.dod.teams.microsoft.us", "https://smba.infra.dod.teams.microsoft.us/teams/", "https://dod-graph.microsoft.us/v1.0" },
    };

    private static readonly string[] AllTeamsHosts =
        ["smba.trafficmanager.net", "smba.infra.gov.teams.microsoft.us", "smba.infra.dod.teams.microsoft.us"];

    [Theory]
    [MemberData(nameof(Clouds))]
    public async Task Each_cloud_accepts_only_its_issuer_and_asks_for_its_own_scopes_and_hosts(
        string cloud, string issuer, string connectorScope, string teamsHost, string defaultServiceUrl, string graph)
    {
        await using var bot = await TestBot.Create().WithSetting("Bot:Cloud", cloud).StartAsync();
        var credential = (StaticTokenCredential)bot.Services.GetRequiredService<TokenCredential>();
        var serviceUrl = bot.Teams.ServiceUrl;

        // A token of the cloud's issuer gets in, and the reply asks for the cloud's connector scope.
        var before = credential.Requests;
        var accepted = await bot.PostRawAsync(TestActivities.PersonalMessage(serviceUrl, "help").ToJsonString(),
            Auth.Bearer(bot.OpenId.CreateToken(TestBot.AppId, serviceUrl, issuer: issuer)));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Contains(connectorScope, credential.Scopes.Skip(before));

        // A token of another cloud's issuer is refused, signed by the same trusted key or not.
        var other = issuer == "https://api.botframework.com" ? "https://api.botframework.us" : "https://api.botframework.com";
        var refused = await bot.PostRawAsync(TestActivities.PersonalMessage(serviceUrl, "help").ToJsonString(),
            Auth.Bearer(bot.OpenId.CreateToken(TestBot.AppId, serviceUrl, issuer: other)));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        // The bot's token goes to this cloud's Teams connector only.
        var policy = bot.Services.GetRequiredService<ServiceUrlPolicy>();
        foreach (var host in AllTeamsHosts)
        {
            Assert.Equal(host == teamsHost, policy.IsAllowed($"https://{host}/teams/"));
        }

        // Proactive sends without a stored conversation, and Graph, use the cloud's endpoints.
        Assert.Equal(defaultServiceUrl, bot.Services.GetRequiredService<IOptions<DeliveryOptions>>().Value.DefaultServiceUrl);
        var graphOptions = bot.Services.GetRequiredService<IOptions<GraphOptions>>().Value;
        Assert.Equal(graph, graphOptions.BaseUrl);

        // Graph calls carry a token for the cloud's Graph host.
        using var handler = bot.Services.GetRequiredService<GraphAuthorizationHandler>();
        handler.InnerHandler = new Answer();
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        before = credential.Requests;
        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, graph + "/users"), CancellationToken.None);
        Assert.Equal($"https://{new Uri(graph).Host}/.default", Assert.Single(credential.Scopes.Skip(before)));
    }

    [Fact]
    public async Task Explicit_settings_win_over_the_cloud_defaults()
    {
        await using var bot = await TestBot.Create()
            .WithSetting("Bot:Cloud", "USGov")
            .WithSetting("Delivery:DefaultServiceUrl", "https://smba.infra.gov.teams.microsoft.us/teams/custom/")
            .WithGraph("https://graph.microsoft.us/beta")
            .StartAsync();
        Assert.Equal("https://smba.infra.gov.teams.microsoft.us/teams/custom/", bot.Services.GetRequiredService<IOptions<DeliveryOptions>>().Value.DefaultServiceUrl);
        Assert.Equal("https://graph.microsoft.us/beta", bot.Services.GetRequiredService<IOptions<GraphOptions>>().Value.BaseUrl);
        // The loopback issuer's metadata URL (Bot:OpenIdMetadataUrl) is in force instead of login.botframework.azure.us.
        Assert.StartsWith("http://127.0.0.1", bot.Services.GetRequiredService<IOptions<BotOptions>>().Value.EffectiveOpenIdMetadataUrl, StringComparison.Ordinal);
    }

    [Fact]
    public void The_clouds_publish_their_own_metadata_and_authority()
    {
        Assert.Equal("https://login.botframework.com/v1/.well-known/openidconfiguration", new BotOptions().EffectiveOpenIdMetadataUrl);
        Assert.Equal("https://login.botframework.azure.us/v1/.well-known/openidconfiguration", new BotOptions { Cloud = "usgov" }.EffectiveOpenIdMetadataUrl);
        Assert.Equal(new Uri("https://login.microsoftonline.us/"), new BotOptions { Cloud = "USGovDoD" }.CloudSettings.AuthorityHost);
        Assert.Equal(new Uri("https://login.microsoftonline.com/"), new BotOptions().CloudSettings.AuthorityHost);
        Assert.Null(BotCloud.Find("China"));
    }

    private sealed class Answer : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
    }
}
