using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Feedback.Replies;

/// <summary>Reads Graph chatMessages (from <see cref="Graph.ChannelRepliesClient"/>) as thread replies.</summary>
internal static class GraphReplyReader
{
    /// <summary>A chatMessage as an incoming reply; null for system messages and messages without an id.</summary>
    internal static IncomingReply? Parse(ThreadRoot root, JsonObject message)
    {
        if (message["id"]?.GetValue<string>() is not { Length: > 0 } id
            || string.Equals(message["messageType"]?.GetValue<string>(), "systemEventMessage", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var user = message["from"]?["user"];
        if (user is null && message["from"]?["application"] is not null)
        {
            return null; // a bot's or app's reply (including this bot's) is not feedback
        }
        var created = Time(message["createdDateTime"]) ?? DateTimeOffset.UnixEpoch;
        // lastModifiedDateTime also moves with reactions; only lastEditedDateTime is an edit of the text.
        var modified = Time(message["lastEditedDateTime"]) ?? created;
        var body = message["body"];
        return new IncomingReply(
            id,
            root.RootMessageId,
            user?["id"]?.GetValue<string>(),
            user?["displayName"]?.GetValue<string>(),
            ReplyText.FromBody(body?["content"]?.GetValue<string>(), body?["contentType"]?.GetValue<string>()),
            created,
            modified,
            Time(message["deletedDateTime"]),
            ReplySource.Graph);
    }

    private static DateTimeOffset? Time(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text)
        && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at : null;
}
