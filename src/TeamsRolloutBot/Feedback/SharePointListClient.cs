using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Feedback;

/// <summary>How a Graph call ended.</summary>
public enum GraphOutcome
{
    Success,
    /// <summary>429: wait <see cref="GraphResult{T}.RetryAfter"/>.</summary>
    Throttled,
    /// <summary>Timeouts, connection errors, 5xx: retry with backoff.</summary>
    Transient,
    /// <summary>404: the item (or list) does not exist.</summary>
    NotFound,
    /// <summary>400, 401, 403 ...: retrying as-is will not help until someone fixes the configuration or grant.</summary>
    Permanent,
}

/// <summary>The outcome of one Graph call, its value on success, and the error text and wait otherwise.</summary>
public sealed record GraphResult<T>(GraphOutcome Outcome, T? Value = default, int? Status = null, string? Error = null, TimeSpan? RetryAfter = null)
{
    public bool IsSuccess => Outcome == GraphOutcome.Success;

    public GraphResult<TOther> As<TOther>() => new(Outcome, default, Status, Error, RetryAfter);
}

/// <summary>A column of the SharePoint list as Graph reports it.</summary>
public sealed record ListColumn(string Name, string Kind, bool Indexed);

/// <summary>
/// Microsoft Graph calls on the one SharePoint list the answers go to (<c>Feedback:SharePointSiteId</c>/<c>ListId</c>):
/// create an item, update its fields, find an item by correlation id, list and create columns. A thin typed client over
/// Graph REST: no retry here (the durable sync queue owns retries and honours Retry-After), one timeout per call.
/// </summary>
public sealed class SharePointListClient(HttpClient http, GraphTokenSource tokens, IOptions<FeedbackOptions> options)
{
    /// <summary>The list column that holds the client-generated id of an answer; indexed so the lookup is allowed.</summary>
    public const string CorrelationColumn = "FeedbackCorrelationId";

    private FeedbackOptions Options => options.Value;

    /// <summary><c>POST /sites/{site}/lists/{list}/items</c> with <c>{ fields }</c>; the new item's id.</summary>
    public async Task<GraphResult<string>> CreateItemAsync(JsonObject fields, CancellationToken cancellationToken)
    {
        var result = await SendAsync(HttpMethod.Post, "items", new JsonObject { ["fields"] = fields }, null, cancellationToken);
        return result.IsSuccess && result.Value?["id"]?.GetValue<string>() is { Length: > 0 } id
            ? new GraphResult<string>(GraphOutcome.Success, id, result.Status)
            : result.IsSuccess ? new GraphResult<string>(GraphOutcome.Transient, null, result.Status, "created item has no id") : result.As<string>();
    }

    /// <summary><c>PATCH /sites/{site}/lists/{list}/items/{id}/fields</c>.</summary>
    public async Task<GraphResult<bool>> UpdateItemAsync(string itemId, JsonObject fields, CancellationToken cancellationToken)
    {
        var result = await SendAsync(HttpMethod.Patch, $"items/{Uri.EscapeDataString(itemId)}/fields", fields, null, cancellationToken);
        return result.IsSuccess ? new GraphResult<bool>(GraphOutcome.Success, true, result.Status) : result.As<bool>();
    }

    /// <summary>The id of the item whose correlation column holds <paramref name="correlationId"/>, or null when there is none.</summary>
    public async Task<GraphResult<string?>> FindItemAsync(string correlationId, CancellationToken cancellationToken)
    {
        var filter = Uri.EscapeDataString($"fields/{CorrelationColumn} eq '{correlationId.Replace("'", "''", StringComparison.Ordinal)}'");
        var select = Uri.EscapeDataString($"fields($select={CorrelationColumn})");
        var result = await SendAsync(HttpMethod.Get, $"items?$filter={filter}&$expand={select}&$top=2", null,
            request => request.Headers.TryAddWithoutValidation("Prefer", "HonorNonIndexedQueriesWarningMayFailRandomly"), cancellationToken);
        if (!result.IsSuccess)
        {
            return result.As<string?>();
        }
        var id = (result.Value?["value"] as JsonArray)?.OfType<JsonObject>().Select(i => i["id"]?.GetValue<string>()).FirstOrDefault(i => i is not null);
        return new GraphResult<string?>(GraphOutcome.Success, id, result.Status);
    }

    /// <summary><c>GET /sites/{site}/lists/{list}/columns</c>.</summary>
    public async Task<GraphResult<IReadOnlyList<ListColumn>>> ListColumnsAsync(CancellationToken cancellationToken)
    {
        var result = await SendAsync(HttpMethod.Get, "columns", null, null, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.As<IReadOnlyList<ListColumn>>();
        }
        var columns = (result.Value?["value"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(c => new ListColumn(
                c["name"]?.GetValue<string>() ?? "",
                FeedbackListSchema.KindOf(c),
                c["indexed"] is JsonValue v && v.TryGetValue<bool>(out var indexed) && indexed))
            .ToList();
        return new GraphResult<IReadOnlyList<ListColumn>>(GraphOutcome.Success, columns, result.Status);
    }

    /// <summary><c>POST /sites/{site}/lists/{list}/columns</c> with a columnDefinition.</summary>
    public async Task<GraphResult<bool>> CreateColumnAsync(JsonObject definition, CancellationToken cancellationToken)
    {
        var result = await SendAsync(HttpMethod.Post, "columns", definition, null, cancellationToken);
        return result.IsSuccess ? new GraphResult<bool>(GraphOutcome.Success, true, result.Status) : result.As<bool>();
    }

    private async Task<GraphResult<JsonNode?>> SendAsync(HttpMethod method, string relative, JsonObject? body, Action<HttpRequestMessage>? configure, CancellationToken cancellationToken)
    {
        var uri = new Uri($"{Options.GraphBaseUrl.TrimEnd('/')}/sites/{Uri.EscapeDataString(Options.SharePointSiteId!)}/lists/{Uri.EscapeDataString(Options.SharePointListId!)}/{relative}");
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        configure?.Invoke(request);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.GraphTimeout);
        try
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(timeout.Token));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                JsonNode? json = null;
                if (text.Length > 0)
                {
                    try
                    {
                        json = JsonNode.Parse(text);
                    }
                    catch (JsonException)
                    {
                        return new(GraphOutcome.Transient, null, status, "Graph answered with a body that is not JSON");
                    }
                }
                return new(GraphOutcome.Success, json, status);
            }
            var outcome = status switch
            {
                429 => GraphOutcome.Throttled,
                404 => GraphOutcome.NotFound,
                408 or 412 or >= 500 => GraphOutcome.Transient,
                _ => GraphOutcome.Permanent,
            };
            return new(outcome, null, status, $"{status} {ErrorOf(text)}", RetryAfter(response));
        }
        catch (Exception ex) when (ex is HttpRequestException or AuthenticationFailedException or CredentialUnavailableException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new(GraphOutcome.Transient, null, null, ex is OperationCanceledException ? "Graph call timed out" : $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static string ErrorOf(string body)
    {
        try
        {
            var error = JsonNode.Parse(body)?["error"];
            return $"{error?["code"]?.GetValue<string>()}: {error?["message"]?.GetValue<string>()}".Trim(' ', ':');
        }
        catch (JsonException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }
}
