using Azure.Core;

namespace TeamsRolloutBot.Benchmarks;

/// <summary>A fixed access token in place of Entra (the benchmarks run on loopback fakes that accept any token).</summary>
public sealed class FixedTokenCredential : TokenCredential
{
    private static readonly AccessToken Token = new("bench-token", DateTimeOffset.UtcNow.AddHours(12));

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => Token;

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => ValueTask.FromResult(Token);
}
