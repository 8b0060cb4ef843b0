using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Protocol;

/// <summary>
/// The app's one identity (<see cref="TokenCredential"/>) for the Bot Connector and Microsoft Graph: SingleTenant uses the
/// client secret against the bot's tenant, UserAssignedMSI the managed identity whose client id is MicrosoftAppId.
/// Azure.Identity caches the tokens it hands out. Registered once, by AddBotProtocol; tests replace it after.
/// </summary>
public static class AppCredential
{
    /// <summary>Registers the app's credential once; in local Playground mode it refuses every token request.</summary>
    public static IServiceCollection AddAppCredential(this IServiceCollection services)
    {
        services.AddSingleton(sp => Create(sp.GetRequiredService<IOptions<BotOptions>>().Value));
        return services;
    }

    /// <summary>The credential for these bot options.</summary>
    public static TokenCredential Create(BotOptions options) => options switch
    {
        { LocalPlayground: true } => new NoCredential(),
        { IsUserAssignedMsi: true } => new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.MicrosoftAppId!)),
        _ => new ClientSecretCredential(options.MicrosoftAppTenantId, options.MicrosoftAppId, options.MicrosoftAppPassword,
            new ClientSecretCredentialOptions { AuthorityHost = options.CloudSettings.AuthorityHost }),
    };

    /// <summary>Local Playground mode has no identity: nothing is ever sent with a token there.</summary>
    private sealed class NoCredential : TokenCredential
    {
        private const string Reason = "local Playground mode has no app identity (Bot:LocalPlayground=true)";

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new CredentialUnavailableException(Reason);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new CredentialUnavailableException(Reason);
    }
}
