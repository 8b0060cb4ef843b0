using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Feedback;

namespace TeamsRolloutBot.Graph;

/// <summary>
/// The Graph endpoints on the one SharePoint list the answers go to (<c>Feedback:SharePointSiteId</c>/<c>ListId</c>):
/// create an item, update its fields, find an item by correlation id, list and create columns. Thin methods over
/// <see cref="GraphClient"/>; the durable sync queue owns every retry the pipeline does not take.
/// </summary>
public sealed class SharePointListClient(GraphClient graph, IOptions<FeedbackOptions> options)
{
    /// <summary>The list column that holds the client-generated id of an answer; indexed so the lookup is allowed.</summary>
    public const string CorrelationColumn = "FeedbackCorrelationId";

    /// <summary><c>POST /sites/{site}/lists/{list}/items</c> with <c>{ fields }</c>; the new item's id.</summary>
    public async Task<GraphResult<string>> CreateItemAsync(JsonObject fields, CancellationToken cancellationToken)
    {
        var result = await SendAsync(HttpMethod.Post, "items", new JsonObject { ["fields"] = fields }, null, cancellationToken);
        return result.IsSuccess && result.Value?["id"]?.GetValue<string>() is { Length: > 0 } id
            ? result.With(id)
            : result.IsSuccess ? new GraphResult<string>(GraphOutcome.Transient, null, result.Status, "created item has no id") : result.As<string>();
    }

    /// <summary><c>PATCH /sites/{site}/lists/{list}/items/{id}/fields</c>.</summary>
    public async Task<GraphResult<bool>> UpdateItemAsync(string itemId, JsonObject fields, CancellationToken cancellationToken)
    {
        var result = await SendAsync(HttpMethod.Patch, $"items/{Uri.EscapeDataString(itemId)}/fields", fields, null, cancellationToken);
        return result.IsSuccess ? result.With(true) : result.As<bool>();
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
        return result.With(id);
    }

    /// <summary><c>GET /sites/{site}/lists/{list}/columns</c>.</summary>
    public async Task<GraphResult<IReadOnlyList<ListColumn>>> ListColumnsAsync(CancellationToken cancellationToken)
    {
        var result = await SendAsync(HttpMethod.Get, "columns", null, null, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.As<IReadOnlyList<ListColumn>>();
        }
        IReadOnlyList<ListColumn> columns = (result.Value?["value"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(c => new ListColumn(
                c["name"]?.GetValue<string>() ?? "",
                FeedbackListSchema.KindOf(c),
                c["indexed"] is JsonValue v && v.TryGetValue<bool>(out var indexed) && indexed))
            .ToList();
        return result.With(columns);
    }

    /// <summary><c>POST /sites/{site}/lists/{list}/columns</c> with a columnDefinition.</summary>
    public async Task<GraphResult<bool>> CreateColumnAsync(JsonObject definition, CancellationToken cancellationToken)
    {
        var result = await SendAsync(HttpMethod.Post, "columns", definition, null, cancellationToken);
        return result.IsSuccess ? result.With(true) : result.As<bool>();
    }

    private Task<GraphResult<JsonNode?>> SendAsync(HttpMethod method, string relative, JsonObject? body, Action<HttpRequestMessage>? configure, CancellationToken cancellationToken) =>
        graph.SendJsonAsync(method,
            $"sites/{Uri.EscapeDataString(options.Value.SharePointSiteId!)}/lists/{Uri.EscapeDataString(options.Value.SharePointListId!)}/{relative}",
            body, cancellationToken, configure);
}
