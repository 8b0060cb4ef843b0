using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Identity;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Graph;

/// <summary>
/// The one typed HttpClient every Graph endpoint class sends through: builds the URL on <c>Graph:BaseUrl</c>, applies
/// <c>Graph:Timeout</c>, and turns every answer into one <see cref="GraphResult{T}"/>. The token comes from
/// <see cref="GraphAuthorizationHandler"/>, short throttling waits from the resilience pipeline (see AddGraph).
/// </summary>
public sealed class GraphClient(HttpClient http, IOptions<GraphOptions> options, IOptions<BotOptions> bot, TimeProvider time, ILogger<GraphClient> logger)
{
    /// <summary>False with <c>Graph:Enabled=false</c> and in local Playground mode: there is no directory to ask.</summary>
    public bool IsEnabled => options.Value.Enabled ?? !bot.Value.LocalPlayground;

    /// <summary>The configured Graph root (no trailing slash), for <c>@odata.bind</c> values and first-page links.</summary>
    public string Root => options.Value.Root;

    /// <summary>Sends a request and reads a JSON answer (an empty body is a null value); a body that is not JSON is transient.</summary>
    public async Task<GraphResult<JsonNode?>> SendJsonAsync(HttpMethod method, string pathOrUrl, JsonNode? body, CancellationToken cancellationToken,
        Action<HttpRequestMessage>? configure = null, TimeSpan? timeout = null)
    {
        var result = await SendAsync(method, pathOrUrl, body, cancellationToken, configure, timeout);
        if (!result.IsSuccess || string.IsNullOrEmpty(result.Value))
        {
            return result.As<JsonNode?>();
        }
        try
        {
            return result.With(JsonNode.Parse(result.Value));
        }
        catch (JsonException)
        {
            return new(GraphOutcome.Transient, null, result.Status, "Graph answered with a body that is not JSON");
        }
    }

    /// <summary>Sends a request to a path under <c>Graph:BaseUrl</c> (or an absolute nextLink) and returns the body's text.</summary>
    public async Task<GraphResult<string>> SendAsync(HttpMethod method, string pathOrUrl, JsonNode? body, CancellationToken cancellationToken,
        Action<HttpRequestMessage>? configure = null, TimeSpan? timeout = null)
    {
        var path = pathOrUrl.Split('?')[0];
        if (!IsEnabled)
        {
            return new(GraphOutcome.Permanent, null, null, "Microsoft Graph is not used (Graph:Enabled=false or local Playground mode)");
        }
        var uri = pathOrUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || pathOrUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            ? new Uri(pathOrUrl)
            : new Uri($"{Root}/{pathOrUrl.TrimStart('/')}");
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        configure?.Invoke(request);
        // Real time, not the app's TimeProvider: this limits a socket wait, which a test's fake clock would never end.
        using var limit = new CancellationTokenSource(timeout ?? options.Value.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            var text = await response.Content.ReadAsStringAsync(linked.Token);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new(GraphOutcome.Success, text, status);
            }
            var outcome = Classify(status);
            var error = $"{status} {ErrorOf(text)}".Trim();
            Log.CallRefused(logger, method.Method, path, status, outcome, error);
            return new(outcome, null, status, error, RetryAfterHeader.Of(response, time));
        }
        catch (Exception ex) when (ex is HttpRequestException or AuthenticationFailedException or CredentialUnavailableException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var error = ex is OperationCanceledException ? "Graph call timed out" : $"{ex.GetType().Name}: {ex.Message}";
            Log.CallFailed(logger, method.Method, path, error);
            return new(GraphOutcome.Transient, null, null, error);
        }
    }

    /// <summary>Maps a refused call's status to its outcome, as the connector does (bot-protocol.md §3.6, §5).</summary>
    internal static GraphOutcome Classify(int status) => status switch
    {
        429 => GraphOutcome.Throttled,
        404 => GraphOutcome.NotFound,
        408 or 412 or >= 500 => GraphOutcome.Transient,
        _ => GraphOutcome.Permanent,
    };

    private static string ErrorOf(string body)
    {
        try
        {
            var error = JsonNode.Parse(body)?["error"];
            return $"{error?["code"]?.GetValue<string>()}: {error?["message"]?.GetValue<string>()}".Trim(' ', ':');
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }
}
