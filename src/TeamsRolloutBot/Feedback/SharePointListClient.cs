using System.Globalization;
using System.Net;
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

/// <summary>
/// App-only Graph tokens (scope <c>https://graph.microsoft.com/.default</c>) with the bot's own identity: the registered
/// <see cref="TokenCredential"/> when there is one (tests), else the bot's client secret or user-assigned managed identity.
/// </summary>
public sealed class GraphTokenSource(IOptions<BotOptions> bot, TimeProvider time, IServiceProvider services) : IDisposable
{
    public const string Scope = "https://graph.microsoft.com/.default";
    private static readonly TokenRequestContext Request = new([Scope]);
    private readonly Lazy<TokenCredential> _credential = new(() => services.GetService<TokenCredential>() ?? Create(bot.Value));
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AccessToken? _cached;

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } fresh && fresh.ExpiresOn - TimeSpan.FromMinutes(5) > time.GetUtcNow())
        {
            return fresh.Token;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } again && again.ExpiresOn - TimeSpan.FromMinutes(5) > time.GetUtcNow())
            {
                return again.Token;
            }
            _cached = await _credential.Value.GetTokenAsync(Request, cancellationToken);
            return _cached.Value.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private static TokenCredential Create(BotOptions options) => options.IsUserAssignedMsi
        ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.MicrosoftAppId!))
        : new ClientSecretCredential(options.MicrosoftAppTenantId, options.MicrosoftAppId, options.MicrosoftAppPassword);
}

/// <summary>The SharePoint list's columns (see docs/feedback.md) and the mapping of an answer to item fields.</summary>
public static class FeedbackListSchema
{
    /// <summary>Every column the bot writes besides Title: name, kind (Graph column facet) and definition.</summary>
    public static IReadOnlyList<(string Name, string Kind, JsonObject Definition)> Columns { get; } =
    [
        Column(SharePointListClient.CorrelationColumn, "text", new JsonObject { ["text"] = new JsonObject() }, indexed: true),
        Column("SurveyId", "text", new JsonObject { ["text"] = new JsonObject() }),
        Column("WaveId", "text", new JsonObject { ["text"] = new JsonObject() }),
        Column("DepartmentId", "text", new JsonObject { ["text"] = new JsonObject() }),
        Column("Rating", "number", new JsonObject { ["number"] = new JsonObject { ["decimalPlaces"] = "none", ["minimum"] = 1, ["maximum"] = 5 } }),
        Column("EnrollmentSuccess", "text", new JsonObject { ["text"] = new JsonObject() }),
        Column("Platform", "text", new JsonObject { ["text"] = new JsonObject() }),
        Column("Duration", "text", new JsonObject { ["text"] = new JsonObject() }),
        Column("Problems", "text", new JsonObject { ["text"] = new JsonObject() }),
        Column("Comment", "text", new JsonObject { ["text"] = new JsonObject { ["allowMultipleLines"] = true } }),
        Column("ContactConsent", "boolean", new JsonObject { ["boolean"] = new JsonObject() }),
        Column("Respondent", "text", new JsonObject { ["text"] = new JsonObject() }),
        Column("RespondentId", "text", new JsonObject { ["text"] = new JsonObject() }),
        Column("AnswerVersion", "number", new JsonObject { ["number"] = new JsonObject { ["decimalPlaces"] = "none" } }),
        Column("SubmittedAt", "dateTime", new JsonObject { ["dateTime"] = new JsonObject { ["format"] = "dateTime" } }),
        Column("UpdatedAt", "dateTime", new JsonObject { ["dateTime"] = new JsonObject { ["format"] = "dateTime" } }),
    ];

    /// <summary>The item fields of an answer. Respondent name and id only with the respondent's consent.</summary>
    public static JsonObject Fields(StoredAnswer stored, string correlationId)
    {
        var a = stored.Answer;
        var p = stored.Placement;
        return new JsonObject
        {
            ["Title"] = $"{p.SurveyId} · {p.DepartmentId ?? "-"}",
            [SharePointListClient.CorrelationColumn] = correlationId,
            ["SurveyId"] = p.SurveyId,
            ["WaveId"] = p.WaveId ?? "",
            ["DepartmentId"] = p.DepartmentId ?? "",
            ["Rating"] = a.Rating,
            ["EnrollmentSuccess"] = a.Success,
            ["Platform"] = a.Platform,
            ["Duration"] = a.Duration ?? "",
            ["Problems"] = string.Join(", ", a.Problems),
            ["Comment"] = a.Comment ?? "",
            ["ContactConsent"] = a.Consent,
            ["Respondent"] = a.Consent ? stored.Respondent.Name ?? "" : "",
            ["RespondentId"] = a.Consent ? stored.Respondent.AadObjectId : "",
            ["AnswerVersion"] = stored.Version,
            ["SubmittedAt"] = stored.FirstSubmittedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["UpdatedAt"] = stored.UpdatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The facet that gives a Graph columnDefinition its type (text, number, boolean, dateTime, ...).</summary>
    public static string KindOf(JsonObject column)
    {
        foreach (var kind in new[] { "text", "number", "boolean", "dateTime", "choice", "personOrGroup", "lookup", "currency", "calculated", "note" })
        {
            if (column[kind] is JsonObject)
            {
                return kind;
            }
        }
        return "other";
    }

    private static (string, string, JsonObject) Column(string name, string kind, JsonObject facet, bool indexed = false)
    {
        facet["name"] = name;
        facet["displayName"] = name;
        if (indexed)
        {
            facet["indexed"] = true;
        }
        return (name, kind, facet);
    }
}

/// <summary>Checks the list's columns and creates the missing ones (<c>feedback setup-list</c> and sync start-up).</summary>
public sealed class FeedbackListSetup(SharePointListClient client, IOptions<FeedbackOptions> options)
{
    /// <summary>What the check found: columns created, columns already right, columns with another type (to fix by hand), or why it failed.</summary>
    public sealed record Report(bool Enabled, IReadOnlyList<string> Created, IReadOnlyList<string> Present, IReadOnlyList<string> WrongType, string? Error)
    {
        public bool Ok => Enabled && Error is null && WrongType.Count == 0;

        public override string ToString() => !Enabled
            ? "SharePoint sync is off (Feedback:SharePointSiteId / Feedback:SharePointListId not set): answers are stored locally only."
            : Error is not null ? $"SharePoint list check failed: {Error}"
            : "SharePoint list columns: " + Present.Count.ToString(CultureInfo.InvariantCulture) + " present, "
                + Created.Count.ToString(CultureInfo.InvariantCulture) + " created"
                + (Created.Count > 0 ? " (" + string.Join(", ", Created) + ")" : "")
                + (WrongType.Count > 0 ? "; wrong type, fix by hand: " + string.Join(", ", WrongType) : "") + ".";
    }

    /// <summary>Lists the columns and creates every missing one; never changes or deletes an existing column.</summary>
    public async Task<Report> EnsureColumnsAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.SharePointEnabled)
        {
            return new Report(false, [], [], [], null);
        }
        var existing = await client.ListColumnsAsync(cancellationToken);
        if (!existing.IsSuccess)
        {
            return new Report(true, [], [], [], existing.Error ?? existing.Outcome.ToString());
        }
        var byName = existing.Value!.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        List<string> created = [], present = [], wrong = [];
        foreach (var (name, kind, definition) in FeedbackListSchema.Columns)
        {
            if (byName.TryGetValue(name, out var column))
            {
                (column.Kind == kind ? present : wrong).Add(column.Kind == kind ? name : $"{name} is {column.Kind}, expected {kind}");
                continue;
            }
            var result = await client.CreateColumnAsync((JsonObject)definition.DeepClone(), cancellationToken);
            if (!result.IsSuccess)
            {
                return new Report(true, created, present, wrong, $"creating column {name}: {result.Error ?? result.Outcome.ToString()}");
            }
            created.Add(name);
        }
        return new Report(true, created, present, wrong, null);
    }
}
