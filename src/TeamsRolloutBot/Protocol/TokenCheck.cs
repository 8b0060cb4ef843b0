using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace TeamsRolloutBot.Protocol;

/// <summary>The outcome of checking the token alone, carried to the activity checks.</summary>
public sealed record TokenCheck(AuthResult Result, JsonWebToken? Jwt, OpenIdConnectConfiguration? Configuration)
{
    public static readonly TokenCheck LocalMode = new(AuthResult.Allowed, null, null);
}
