using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Tests.Infrastructure;

/// <summary>A running bot with its fake OpenID server and fake connector, shared by the tests of one class.</summary>
public sealed class BotHarness : IAsyncLifetime
{
    public FakeOpenIdServer OpenId { get; private set; } = null!;
    public FakeConnector Connector { get; private set; } = null!;
    public BotFactory Factory { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        OpenId = await FakeOpenIdServer.StartNewAsync();
        Connector = await FakeConnector.StartNewAsync();
        Factory = new BotFactory(OpenId, Connector);
        Client = Factory.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        await Connector.DisposeAsync();
        await OpenId.DisposeAsync();
    }

    /// <summary>A valid Bot Connector token for an activity sent from <paramref name="serviceUrl"/>.</summary>
    public string Token(string serviceUrl) => OpenId.CreateToken(BotFactory.AppId, serviceUrl);

    /// <summary>Posts an activity with a valid token (unless another authorization is given).</summary>
    public Task<HttpResponseMessage> PostAsync(JsonObject activity, string? authorization = "valid") =>
        PostRawAsync(activity.ToJsonString(), authorization == "valid" ? "Bearer " + Token((string)activity["serviceUrl"]!) : authorization);

    public async Task<HttpResponseMessage> PostRawAsync(string body, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        return await Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>The calls made to the connector since <paramref name="before"/> calls were there.</summary>
    public List<ConnectorCall> CallsSince(int before) => Connector.Calls.Skip(before).ToList();
}

/// <summary>Bearer-header helpers.</summary>
public static class Auth
{
    public static string Bearer(string token) => new AuthenticationHeaderValue("Bearer", token).ToString();
}

/// <summary>Posts activities with valid tokens to a bot built by a test's own <see cref="BotFactory"/>.</summary>
public sealed class BotHarnessClient(BotFactory factory, FakeOpenIdServer openId)
{
    private readonly HttpClient _client = factory.CreateClient();

    public async Task<HttpResponseMessage> PostAsync(JsonObject activity)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + openId.CreateToken(BotFactory.AppId, (string)activity["serviceUrl"]!));
        return await _client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
