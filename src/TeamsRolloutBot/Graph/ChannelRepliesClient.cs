using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Graph;

/// <summary>
/// <c>GET /teams/{group-id}/channels/{channel-id}/messages/{message-id}/replies?$top=50</c>, page by page (follow
/// <c>@odata.nextLink</c>), with the app's token (RSC <c>ChannelMessage.Read.Group</c>). A thin endpoint over
/// <see cref="GraphClient"/>: the thread-reply catch-up records a failed root and tries it again later.
/// </summary>
public sealed class ChannelRepliesClient(GraphClient graph)
{
    /// <summary>One page of a channel message's replies: the first page without <paramref name="nextLink"/>, else the page it names.</summary>
    public async Task<GraphResult<ChannelMessagePage>> GetRepliesAsync(string teamAadGroupId, string channelId, string messageId, string? nextLink, CancellationToken cancellationToken)
    {
        var page = nextLink ?? $"teams/{Uri.EscapeDataString(teamAadGroupId)}/channels/{Uri.EscapeDataString(channelId)}/messages/{Uri.EscapeDataString(messageId)}/replies?$top=50";
        var result = await graph.SendJsonAsync(HttpMethod.Get, page, null, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.As<ChannelMessagePage>();
        }
        if (result.Value is not JsonObject json)
        {
            return new(GraphOutcome.Transient, null, result.Status, "Graph answered with an empty body");
        }
        var messages = (json["value"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        return result.With(new ChannelMessagePage(messages, json["@odata.nextLink"]?.GetValue<string>()));
    }
}
