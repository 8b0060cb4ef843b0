using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Tests.Infrastructure;

namespace TeamsRolloutBot.Tests.Protocol;

/// <summary>Start-up refuses a wrong configuration, naming the key; local Playground mode works only where it may.</summary>
public sealed class ConfigurationTests : IAsyncLifetime
{
    private FakeOpenIdServer _openId = null!;
    private FakeConnector _connector = null!;

    public async ValueTask InitializeAsync()
    {
        _openId = await FakeOpenIdServer.StartNewAsync();
        _connector = await FakeConnector.StartNewAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _connector.DisposeAsync();
        await _openId.DisposeAsync();
    }

    private string StartFailure(Dictionary<string, string?> overrides)
    {
        using var factory = new BotFactory(_openId, _connector, overrides);
        var ex = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        return ex.ToString();
    }

    [Theory]
    [InlineData("MicrosoftAppId", "", "MicrosoftAppId")]
    [InlineData("MicrosoftAppId", "not-a-guid", "MicrosoftAppId")]
    [InlineData("MicrosoftAppType", "MultiTenant", "MicrosoftAppType")]
    [InlineData("MicrosoftAppTenantId", "", "MicrosoftAppTenantId")]
    [InlineData("MicrosoftAppPassword", "", "MicrosoftAppPassword")]
    [InlineData("Bot:OpenIdMetadataUrl", "http://login.example.com/metadata", "Bot:OpenIdMetadataUrl")]
    [InlineData("Bot:AllowedServiceUrls:1", "ftp://files.example.com/x/y", "Bot:AllowedServiceUrls")]
    [InlineData("Storage:Provider", "Oracle", "Storage:Provider")]
    public void A_missing_or_invalid_setting_stops_the_start_and_names_the_key(string key, string value, string named)
    {
        var message = StartFailure(new() { [key] = value });
        Assert.Contains(named, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Local_mode_is_refused_outside_Development()
    {
        var message = StartFailure(new() { ["Bot:LocalPlayground"] = "true", ["environment"] = "Production" });
        Assert.Contains("Bot:LocalPlayground", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Local_mode_is_refused_on_a_non_loopback_address()
    {
        var message = StartFailure(new() { ["Bot:LocalPlayground"] = "true", ["urls"] = "http://0.0.0.0:3978" });
        Assert.Contains("loopback", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_mode_needs_no_token_and_sends_none_to_a_localhost_playground()
    {
        await using var playground = await FakeConnector.StartNewAsync();
        await using var factory = new BotFactory(_openId, _connector, new()
        {
            ["Bot:LocalPlayground"] = "true",
            ["MicrosoftAppType"] = "",
            ["MicrosoftAppId"] = "",
            ["MicrosoftAppPassword"] = "",
            ["MicrosoftAppTenantId"] = "",
            ["Bot:AllowedServiceUrls:0"] = "",
        });
        using var client = factory.CreateClient();
        var activity = TestActivities.PersonalMessage(playground.ServiceUrl.Replace("127.0.0.1", "localhost", StringComparison.Ordinal), "help");
        using var content = new StringContent(activity.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/api/messages", content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(playground.Calls);
        Assert.Null(call.Authorization);
    }
}
