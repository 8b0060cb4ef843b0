using Azure.Core;

namespace TeamsRolloutBot.Tests.Kit;

/// <summary>A credential that hands out a fixed token without any network call.</summary>
public sealed class StaticTokenCredential(string token) : TokenCredential
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _scopes = new();

    public int Requests => _scopes.Count;

    /// <summary>The scopes asked for, in order (one entry per request, scopes joined by a space).</summary>
    public IReadOnlyList<string> Scopes => [.. _scopes];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        _scopes.Enqueue(string.Join(' ', requestContext.Scopes));
        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
