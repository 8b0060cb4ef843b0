using System.Security.Cryptography;
using System.Text;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Delivery;

/// <summary>The fingerprint of what a send put in Teams: the SHA-256 (hex) of the card JSON as rendered, or of the text.</summary>
public static class CardFingerprint
{
    public static string Of(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var content = activity.Attachments is [{ Content: { } card }, ..] ? card.ToJsonString() : activity.Text ?? "";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
    }

    /// <summary>One fingerprint for a set of fingerprints (order does not matter).</summary>
    public static string OfSet(IEnumerable<string> fingerprints) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', fingerprints.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)))))[..16];
}
