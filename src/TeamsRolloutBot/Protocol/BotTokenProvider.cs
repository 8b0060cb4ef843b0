using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Protocol;

/// <summary>
/// Bearer tokens for calls to the Bot Connector (scope <c>https://api.botframework.com/.default</c>), cached until five
/// minutes before they expire. SingleTenant: client secret against the bot's tenant; UserAssignedMSI: the managed
/// identity whose client id is MicrosoftAppId. In local Playground mode there is no token at all.
/// </summary>
public sealed class BotTokenProvider(IOptions<BotOptions> options, TimeProvider time, TokenCredential? credentialOverride = null) : IDisposable
{
    private static readonly TokenRequestContext Request = new([BotOptions.ConnectorScope]);
    private readonly Lazy<TokenCredential?> _credential = new(() => options.Value.LocalPlayground ? null : credentialOverride ?? Create(options.Value));
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AccessToken? _cached;

    /// <summary>The token to send, or null when none is used (local Playground mode).</summary>
    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_credential.Value is not { } credential)
        {
            return null;
        }
        if (_cached is { } fresh && fresh.ExpiresOn - TimeSpan.FromMinutes(5) > time.GetUtcNow())
        {
            return fresh.Token;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } again && again.ExpiresOn - TimeSpan.FromMinutes(5) > time.GetUtcNow())
            {
                return again.Token;
            }
            var token = await credential.GetTokenAsync(Request, cancellationToken);
            _cached = token;
            return token.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private static TokenCredential? Create(BotOptions options)
    {
        if (options.LocalPlayground)
        {
            return null;
        }
        return options.IsUserAssignedMsi
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.MicrosoftAppId!))
            : new ClientSecretCredential(options.MicrosoftAppTenantId, options.MicrosoftAppId, options.MicrosoftAppPassword);
    }
}
