using System.Net;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Tests.Infrastructure;

namespace TeamsRolloutBot.Tests.Protocol;

/// <summary>Start-up refuses a wrong configuration, naming the key; local Playground mode works only where it may.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("MicrosoftAppId", "", "MicrosoftAppId")]
    [InlineData("MicrosoftAppId", "not-a-guid", "MicrosoftAppId")]
    [InlineData("MicrosoftAppType", "MultiTenant", "MicrosoftAppType")]
    [InlineData("MicrosoftAppTenantId", "", "MicrosoftAppTenantId")]
    [InlineData("MicrosoftAppPassword", "", "MicrosoftAppPassword")]
    [InlineData("Bot__OpenIdMetadataUrl", "http://login.example.com/metadata", "Bot:OpenIdMetadataUrl")]
    [InlineData("Bot__AllowedServiceUrls__0", "ftp://files.example.com/x/y", "Bot:AllowedServiceUrls")]
    [InlineData("Bot__Cloud", "China", "Bot:Cloud")]
    [InlineData("Storage__Provider", "Oracle", "Storage:Provider")]
    [InlineData("Telemetry__Exporter", "zipkin", "Telemetry:Exporter")]
    public async Task A_missing_or_invalid_setting_stops_the_start_with_a_message_naming_the_key(string key, string value, string named)
    {
        var (exitCode, output) = await BotProcess.StartExpectingRefusalAsync(new() { [key] = value });
        Assert.Equal(2, exitCode);
        Assert.Contains(named, output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-real-secret", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_mode_is_refused_outside_Development()
    {
        var (exitCode, output) = await BotProcess.StartExpectingRefusalAsync(new() { ["Bot__LocalPlayground"] = "true", ["ASPNETCORE_ENVIRONMENT"] = "Production" });
        Assert.Equal(2, exitCode);
        Assert.Contains("Bot:LocalPlayground", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ASPNETCORE_URLS", "http://0.0.0.0:3978")]
    [InlineData("ASPNETCORE_URLS", "http://+:3978")]
    [InlineData("ASPNETCORE_HTTP_PORTS", "3978")]
    public async Task Local_mode_is_refused_on_a_non_loopback_address(string key, string value)
    {
        var overrides = new Dictionary<string, string?> { ["Bot__LocalPlayground"] = "true", [key] = value };
        if (key != "ASPNETCORE_URLS")
        {
            overrides["ASPNETCORE_URLS"] = null;
        }
        var (exitCode, output) = await BotProcess.StartExpectingRefusalAsync(overrides);
        Assert.Equal(2, exitCode);
        Assert.Contains("loopback", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_mode_needs_no_token_and_sends_none_to_a_localhost_playground()
    {
        await using var playground = await FakeTeams.StartAsync();
        await using var bot = await TestBot.Create().LocalPlayground().StartAsync();
        var activity = TestActivities.PersonalMessage(playground.ServiceUrl.Replace("127.0.0.1", "localhost", StringComparison.Ordinal), "help");
        var response = await bot.PostAsync(activity, authorization: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(playground.Calls);
        Assert.Null(call.Authorization);
    }
}
