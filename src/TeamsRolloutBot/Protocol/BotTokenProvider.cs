using Azure.Core;
using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Protocol;

/// <summary>
/// Bearer tokens for calls to the Bot Connector (scope <c>https://api.botframework.com/.default</c>), cached until five
/// minutes before they expire, from the app's one credential (<see cref="AppCredential"/>, shared with Graph). In local
/// Playground mode there is no token at all.
/// </summary>
public sealed class BotTokenProvider(IOptions<BotOptions> options, TimeProvider time, TokenCredential credential) : IDisposable
{
    private static readonly TokenRequestContext Request = new([BotOptions.ConnectorScope]);
    private readonly TokenCredential? _credential = options.Value.LocalPlayground ? null : credential;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AccessToken? _cached;

    /// <summary>The token to send, or null when none is used (local Playground mode).</summary>
    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_credential is null)
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
            var token = await _credential.GetTokenAsync(Request, cancellationToken);
            _cached = token;
            return token.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
