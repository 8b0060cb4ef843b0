using Microsoft.IdentityModel.Tokens;

namespace TeamsRolloutBot.Protocol;

/// <summary>The verdict and, when refused, a reason for the log (never sent to the caller).</summary>
public sealed record AuthResult(AuthVerdict Verdict, string? Reason = null)
{
    public static readonly AuthResult Allowed = new(AuthVerdict.Allowed);
}
