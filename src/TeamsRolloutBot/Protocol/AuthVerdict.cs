using Microsoft.IdentityModel.Tokens;

namespace TeamsRolloutBot.Protocol;

/// <summary>The verdict on an inbound request's credentials.</summary>
public enum AuthVerdict
{
    Allowed,
    /// <summary>No token, or a token that is not valid (signature, issuer, audience, lifetime): 401.</summary>
    Unauthenticated,
    /// <summary>A valid token that may not send this activity (endorsement, serviceurl, tenant, serviceUrl host): 403.</summary>
    Forbidden,
}
