using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Identity;
using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Feedback.Replies;

/// <summary>One page of replies and the link to the next page, if any.</summary>
public sealed record ReplyPage(IReadOnlyList<IncomingReply> Replies, string? NextLink);

/// <summary>
/// <c>GET /teams/{group-id}/channels/{channel-id}/messages/{message-id}/replies?$top=50</c>, page by page (follow
/// <c>@odata.nextLink</c>), with the app's token (RSC <c>ChannelMessage.Read.Group</c>). No retry here: the catch-up
/// records a failed root and tries it again later, honouring Retry-After.
/// </summary>
public sealed class ThreadRepliesGraphClient(HttpClient http, GraphTokenSource tokens, IOptions<FeedbackOptions> options)
{
    /// <summary>The first page's address for a root.</summary>
    public Uri FirstPage(ThreadRoot root) => new(
        $"{options.Value.GraphBaseUrl.TrimEnd('/')}/teams/{Uri.EscapeDataString(root.TeamAadGroupId!)}/channels/{Uri.EscapeDataString(root.ChannelId)}"
        + $"/messages/{Uri.EscapeDataString(root.RootMessageId)}/replies?$top=50");

    /// <summary>One page of replies of <paramref name="root"/> from <paramref name="page"/>.</summary>
    public async Task<GraphResult<ReplyPage>> GetPageAsync(ThreadRoot root, Uri page, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, page);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.GraphTimeout);
        try
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(timeout.Token));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                var outcome = status switch
                {
                    429 => GraphOutcome.Throttled,
                    404 => GraphOutcome.NotFound,
                    408 or 412 or >= 500 => GraphOutcome.Transient,
                    _ => GraphOutcome.Permanent,
                };
                var wait = response.Headers.RetryAfter?.Delta
                    ?? (response.Headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
                return new(outcome, null, status, $"{status} {(text.Length > 200 ? text[..200] : text)}".Trim(), wait);
            }
            JsonNode? json;
            try
            {
                json = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                return new(GraphOutcome.Transient, null, status, "Graph answered with a body that is not JSON");
            }
            var replies = (json?["value"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(m => Parse(root, m)).OfType<IncomingReply>().ToList();
            return new(GraphOutcome.Success, new ReplyPage(replies, json?["@odata.nextLink"]?.GetValue<string>()), status);
        }
        catch (Exception ex) when (ex is HttpRequestException or AuthenticationFailedException or CredentialUnavailableException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new(GraphOutcome.Transient, null, null, ex is OperationCanceledException ? "Graph call timed out" : $"{ex.GetType().Name}: {ex.Message}");
        }
    }

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
