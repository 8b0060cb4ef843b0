using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TeamsRolloutBot.Protocol;

/// <summary>
/// The Bot Connector REST client: reply, send, update, delete, create conversation and paged members against a
/// conversation's serviceUrl. A serviceUrl off the allow-list is refused before any request; the token is added by
/// <see cref="BotAuthorizationHandler"/>, again only for allow-listed serviceUrls. Short 429/5xx waits are retried by the resilience pipeline; anything else comes back as a
/// <see cref="ConnectorOutcome"/> for the caller to record or schedule.
/// </summary>
public sealed class ConnectorClient(HttpClient http, ServiceUrlPolicy serviceUrls, ILogger<ConnectorClient> logger)
{
    private static readonly ProtocolJsonContext Json = ProtocolJsonContext.Default;

    /// <summary>Posts an activity to a conversation (in a channel: a new top-level post unless the id names a thread).</summary>
    public Task<ConnectorResult<ResourceResponse>> SendToConversationAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, serviceUrl, $"v3/conversations/{Esc(conversationId)}/activities", activity, Json.Activity, Json.ResourceResponse, cancellationToken);

    /// <summary>Replies to an activity in its conversation.</summary>
    public Task<ConnectorResult<ResourceResponse>> ReplyToActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken)
    {
        activity.ReplyToId ??= activityId;
        return SendAsync(HttpMethod.Post, serviceUrl, $"v3/conversations/{Esc(conversationId)}/activities/{Esc(activityId)}", activity, Json.Activity, Json.ResourceResponse, cancellationToken);
    }

    /// <summary>Replaces a sent activity (for example a status card updated in place).</summary>
    public Task<ConnectorResult<ResourceResponse>> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken)
    {
        activity.Id = activityId;
        activity.Type ??= ActivityTypes.Message;
        return SendAsync(HttpMethod.Put, serviceUrl, $"v3/conversations/{Esc(conversationId)}/activities/{Esc(activityId)}", activity, Json.Activity, Json.ResourceResponse, cancellationToken);
    }

    /// <summary>Deletes a sent activity; a 404 counts as done.</summary>
    public async Task<ConnectorResult<bool>> DeleteActivityAsync(string serviceUrl, string conversationId, string activityId, CancellationToken cancellationToken)
    {
        var result = await SendAsync<Activity, ResourceResponse>(HttpMethod.Delete, serviceUrl, $"v3/conversations/{Esc(conversationId)}/activities/{Esc(activityId)}", null, null, null, cancellationToken);
        return result.IsSuccess || result.StatusCode == HttpStatusCode.NotFound
            ? new ConnectorResult<bool>(ConnectorOutcome.Delivered, true, result.StatusCode)
            : result.As<bool>();
    }

    /// <summary>Creates a conversation: a 1:1 chat with a user, or a new thread in a channel.</summary>
    public Task<ConnectorResult<ConversationResourceResponse>> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, serviceUrl, "v3/conversations", parameters, Json.ConversationParameters, Json.ConversationResourceResponse, cancellationToken);

    /// <summary>Opens (or finds) the 1:1 chat between the bot and a user who has the app installed.</summary>
    public Task<ConnectorResult<ConversationResourceResponse>> CreatePersonalConversationAsync(string serviceUrl, string botId, string userId, string tenantId, CancellationToken cancellationToken) =>
        CreateConversationAsync(serviceUrl, new ConversationParameters
        {
            IsGroup = false,
            Bot = new ChannelAccount { Id = botId },
            Members = [new ChannelAccount { Id = userId }],
            TenantId = tenantId,
            ChannelData = new TeamsChannelData { Tenant = new TenantInfo { Id = tenantId } },
        }, cancellationToken);

    /// <summary>Starts a new thread in a team channel with the given first activity.</summary>
    public Task<ConnectorResult<ConversationResourceResponse>> CreateChannelThreadAsync(string serviceUrl, string channelId, string tenantId, Activity activity, CancellationToken cancellationToken) =>
        CreateConversationAsync(serviceUrl, new ConversationParameters
        {
            IsGroup = true,
            TenantId = tenantId,
            ChannelData = new TeamsChannelData { Channel = new ChannelInfo { Id = channelId }, Tenant = new TenantInfo { Id = tenantId } },
            Activity = activity,
        }, cancellationToken);

    /// <summary>One page of a conversation's (or team's) members.</summary>
    public Task<ConnectorResult<PagedMembersResult>> GetPagedMembersAsync(string serviceUrl, string conversationId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var path = $"v3/conversations/{Esc(conversationId)}/pagedmembers?pageSize={pageSize}";
        if (!string.IsNullOrEmpty(continuationToken))
        {
            path += $"&continuationToken={Esc(continuationToken)}";
        }
        return SendAsync<Activity, PagedMembersResult>(HttpMethod.Get, serviceUrl, path, null, null, Json.PagedMembersResult, cancellationToken);
    }

    /// <summary>All members of a conversation or team, page by page.</summary>
    public async IAsyncEnumerable<TeamsChannelAccount> GetAllMembersAsync(string serviceUrl, string conversationId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? continuation = null;
        do
        {
            var page = await GetPagedMembersAsync(serviceUrl, conversationId, 500, continuation, cancellationToken);
            if (!page.IsSuccess || page.Value is null)
            {
                throw new ConnectorException($"listing members failed: {page.Outcome} {(int?)page.StatusCode} {page.ErrorCode}", page.Outcome, page.RetryAfter);
            }
            foreach (var member in page.Value.Members ?? [])
            {
                yield return member;
            }
            continuation = page.Value.ContinuationToken;
        }
        while (!string.IsNullOrEmpty(continuation));
    }

    private async Task<ConnectorResult<TResponse>> SendAsync<TBody, TResponse>(
        HttpMethod method, string serviceUrl, string relativePath, TBody? body,
        JsonTypeInfo<TBody>? bodyType, JsonTypeInfo<TResponse>? responseType, CancellationToken cancellationToken)
    {
        if (!serviceUrls.IsAllowed(serviceUrl))
        {
            Log.ServiceUrlRefused(logger, BotAuthenticator.SafeHost(serviceUrl));
            return new(ConnectorOutcome.Permanent, ErrorCode: "ServiceUrlNotAllowed", ErrorMessage: "the serviceUrl is not on the allow-list");
        }
        using var request = new HttpRequestMessage(method, BuildUri(serviceUrl, relativePath));
        if (body is not null && bodyType is not null)
        {
            request.Content = JsonContent.Create(body, bodyType);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
                                       || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Log.ConnectorCallFailed(logger, method.Method, relativePath.Split('?')[0], ex.GetType().Name);
            return new(ConnectorOutcome.Transient, ErrorCode: ex.GetType().Name, ErrorMessage: ex.Message);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                var value = responseType is not null && response.Content.Headers.ContentLength != 0
                    ? await ReadJsonAsync(response, responseType, cancellationToken)
                    : default;
                return new(ConnectorOutcome.Delivered, value, response.StatusCode);
            }
            var raw = await response.Content.ReadAsStringAsync(cancellationToken);
            var result = Classify<TResponse>(response.StatusCode, raw, RetryAfter(response));
            Log.ConnectorCallRefused(logger, method.Method, relativePath.Split('?')[0], (int)response.StatusCode, result.ErrorCode ?? "", result.Outcome);
            return result;
        }
    }

    private static async Task<T?> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>Maps a refused call to its outcome (bot-protocol.md §3.6).</summary>
    internal static ConnectorResult<T> Classify<T>(HttpStatusCode status, string body, TimeSpan? retryAfter)
    {
        var code = ErrorCode(body);
        var outcome = (int)status switch
        {
            429 => ConnectorOutcome.Throttled,
            403 when Contains(body, "ConversationBlockedByUser") || Contains(body, "BotDisabledByAdmin") || Contains(body, "MessageWritesBlocked")
                => ConnectorOutcome.BotBlocked,
            403 when Contains(body, "BotNotInConversationRoster") => ConnectorOutcome.RecipientGone,
            404 => ConnectorOutcome.RecipientGone,
            // The code says the target does not exist, whatever the status (the Agents Playground answers these with 500).
            _ when code is "ConversationNotFound" or "UserNotFound" => ConnectorOutcome.RecipientGone,
            408 or 412 or >= 500 => ConnectorOutcome.Transient,
            _ => ConnectorOutcome.Permanent,
        };
        var message = body.Length > 500 ? body[..500] : body;
        return new(outcome, default, status, code ?? ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), message, retryAfter);
    }

    private static bool Contains(string body, string code) => body.Contains(code, StringComparison.OrdinalIgnoreCase);

    private static string? ErrorCode(string body)
    {
        try
        {
            var error = JsonSerializer.Deserialize(body, Json.ConnectorError);
            return error?.Error?.Code ?? error?.ErrorCodeNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static TimeSpan? RetryAfter(HttpResponseMessage response) => RetryAfterHeader.Of(response);

    internal static Uri BuildUri(string serviceUrl, string relativePath) => new(serviceUrl.TrimEnd('/') + "/" + relativePath);

    private static string Esc(string value) => Uri.EscapeDataString(value);
}
