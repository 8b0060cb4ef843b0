using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Feedback;

/// <summary>
/// App-only Graph tokens (scope <c>https://graph.microsoft.com/.default</c>) with the bot's own identity: the registered
/// <see cref="TokenCredential"/> when there is one (tests), else the bot's client secret or user-assigned managed identity.
/// </summary>
public sealed class GraphTokenSource(IOptions<BotOptions> bot, TimeProvider time, IServiceProvider services) : IDisposable
{
    public const string Scope = "https://graph.microsoft.com/.default";
    private static readonly TokenRequestContext Request = new([Scope]);
    private readonly Lazy<TokenCredential> _credential = new(() => services.GetService<TokenCredential>() ?? Create(bot.Value));
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AccessToken? _cached;

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
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
            _cached = await _credential.Value.GetTokenAsync(Request, cancellationToken);
            return _cached.Value.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private static TokenCredential Create(BotOptions options) => options.IsUserAssignedMsi
        ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.MicrosoftAppId!))
        : new ClientSecretCredential(options.MicrosoftAppTenantId, options.MicrosoftAppId, options.MicrosoftAppPassword);
}
