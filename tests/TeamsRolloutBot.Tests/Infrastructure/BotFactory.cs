using Azure.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace TeamsRolloutBot.Tests.Infrastructure;

/// <summary>
/// The real bot (Program) configured as a SingleTenant production bot whose OpenID metadata comes from
/// <see cref="FakeOpenIdServer"/> and whose only extra allowed serviceUrl is the <see cref="FakeConnector"/>.
/// Each factory gets its own SQLite file.
/// </summary>
public sealed class BotFactory(FakeOpenIdServer openId, FakeConnector connector, Dictionary<string, string?>? overrides = null)
    : WebApplicationFactory<Program>
{
    public const string AppId = "6f1d2b1e-2a53-4f27-9f4e-2d7d1b2f0a11";
    public const string TenantId = "9b1c1f55-3f0e-4a57-8a55-0c7b7e6f2d22";
    public const string OutboundToken = "outbound-test-token";

    public string DatabasePath { get; } = Path.Combine(Path.GetTempPath(), "trb-tests", Guid.NewGuid().ToString("N"), "rollout.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MicrosoftAppType"] = "SingleTenant",
            ["MicrosoftAppId"] = AppId,
            ["MicrosoftAppPassword"] = "not-a-real-secret",
            ["MicrosoftAppTenantId"] = TenantId,
            ["Bot:OpenIdMetadataUrl"] = openId.MetadataUrl,
            ["Bot:AllowedServiceUrls:0"] = connector.Url,
            ["Storage:SqlitePath"] = DatabasePath,
            ["Telemetry:Exporter"] = "none",
        };
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services => services.AddSingleton<TokenCredential>(new StaticTokenCredential(OutboundToken)));
    }
}

/// <summary>A credential that hands out a fixed token without any network call.</summary>
public sealed class StaticTokenCredential(string token) : TokenCredential
{
    public int Requests { get; private set; }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Requests++;
        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
