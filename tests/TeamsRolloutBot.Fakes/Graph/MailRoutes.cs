using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Fakes;

/// <summary>
/// One sendMail request as Graph received it: the mailbox it was sent from, the first recipient, the subject, the
/// body's content type and content, and the whole request JSON.
/// </summary>
public sealed record FakeMail(string From, string To, string Subject, string ContentType, string Body, JsonNode Request);

/// <summary><c>POST users/{id}/sendMail</c> (202): each mail kept in <see cref="Sent"/>.</summary>
public sealed class MailRoutes : IGraphRoutes
{
    /// <summary>Mails sent, in the order Graph accepted them.</summary>
    public ConcurrentQueue<FakeMail> Sent { get; } = new();

    public void Map(GraphRouteTable routes) => routes.Map("POST", "users/{id}/sendMail", r =>
    {
        var request = r.Json!;
        var message = request["message"]!;
        Sent.Enqueue(new FakeMail(r["id"], (string)message["toRecipients"]![0]!["emailAddress"]!["address"]!, (string?)message["subject"] ?? "",
            (string?)message["body"]?["contentType"] ?? "", (string?)message["body"]?["content"] ?? "", request));
        return GraphResponse.Empty(202);
    });
}
