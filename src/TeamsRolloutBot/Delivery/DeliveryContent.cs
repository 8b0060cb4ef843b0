using System.Net;
using System.Text.Json.Nodes;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Delivery;

/// <summary>
/// Turns a planned send into what is sent: an Adaptive Card for Teams, an HTML e-mail. This is the one place the
/// card templates plug in; until then it renders a plain card naming the wave, message and phase.
/// </summary>
public sealed class DeliveryContent
{
    /// <summary>The Teams activity for a send, in the recipient's language (nl or en).</summary>
    public Activity RenderTeams(PlannedSend send, string? language)
    {
        var en = language == "en";
        var title = Title(send, en);
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.5",
            ["body"] = new JsonArray(
                new JsonObject { ["type"] = "TextBlock", ["text"] = title, ["size"] = "Large", ["weight"] = "Bolder", ["wrap"] = true },
                new JsonObject { ["type"] = "TextBlock", ["text"] = en ? $"Wave: {send.WaveId}" : $"Golf: {send.WaveId}", ["wrap"] = true, ["isSubtle"] = true }),
        };
        return Activity.CreateCard(card, title);
    }

    /// <summary>The subject and HTML body of an e-mail send.</summary>
    public (string Subject, string Html) RenderEmail(PlannedSend send, string? language)
    {
        var en = language == "en";
        var title = send.Subject ?? Title(send, en);
        return (title, $"<html><body><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(en ? "Wave" : "Golf")}: {WebUtility.HtmlEncode(send.WaveId)}</p></body></html>");
    }

    private static string Title(PlannedSend send, bool en) =>
        (en ? "Intune rollout: " : "Intune-uitrol: ") + (string.IsNullOrEmpty(send.Phase) ? send.MessageId : $"{send.Phase} ({send.MessageId})");
}
