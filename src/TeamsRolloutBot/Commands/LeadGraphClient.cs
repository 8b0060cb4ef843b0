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

namespace TeamsRolloutBot.Commands;

/// <summary>Graph could not answer (network, throttling beyond the retries, missing permission): callers fail closed.</summary>
public sealed class GraphUnavailableException(string message, HttpStatusCode? status = null, Exception? inner = null) : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;
}

/// <summary>
/// The three Microsoft Graph calls the lead commands make, over a named HttpClient with the app's token
/// (scope <c>https://graph.microsoft.com/.default</c>): a user's UPN, group membership (checkMemberGroups) and the
/// user count of a group. Plain HTTP rather than the Graph SDK keeps the calls visible and testable against a loopback fake.
/// In local Playground mode there is no token and therefore no Graph: <see cref="IsAvailable"/> is false.
/// </summary>
public sealed class LeadGraphClient
{
    /// <summary>The name of the HttpClient (with its resilience handler) this client uses.</summary>
    public const string HttpClientName = "LeadGraph";
    private static readonly TokenRequestContext Scope = new(["https://graph.microsoft.com/.default"]);
    private readonly IHttpClientFactory _http;
    private readonly Lazy<TokenCredential?> _credential;
    private readonly string _baseUrl;

    public LeadGraphClient(IHttpClientFactory http, IOptions<CommandsOptions> options, IOptions<BotOptions> bot, IServiceProvider services)
    {
        _http = http;
        _baseUrl = options.Value.GraphBaseUrl.TrimEnd('/');
        var botOptions = bot.Value;
        _credential = new Lazy<TokenCredential?>(() => botOptions.LocalPlayground
            ? null
            : services.GetService<TokenCredential>() ?? CreateCredential(botOptions));
    }

    /// <summary>False in local Playground mode: there is no identity to call Graph with.</summary>
    public bool IsAvailable => _credential.Value is not null;

    /// <summary>The user's UPN; null when Graph says the user does not exist.</summary>
    public async Task<string?> GetUserPrincipalNameAsync(string userId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"users/{Uri.EscapeDataString(userId)}?$select=userPrincipalName", null, null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        var body = await ReadJsonAsync(response, cancellationToken);
        return body?["userPrincipalName"]?.GetValue<string>();
    }

    /// <summary>True when the user is a (transitive) member of the group (<c>POST /users/{id}/checkMemberGroups</c>).</summary>
    public async Task<bool> IsMemberOfGroupAsync(string userId, string groupId, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["groupIds"] = new JsonArray(groupId) }.ToJsonString();
        using var response = await SendAsync(HttpMethod.Post, $"users/{Uri.EscapeDataString(userId)}/checkMemberGroups", body, null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        var json = await ReadJsonAsync(response, cancellationToken);
        return json?["value"] is JsonArray ids && ids.Any(id => string.Equals(id?.GetValue<string>(), groupId, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The number of users in a group, nested groups included (<c>/transitiveMembers/microsoft.graph.user/$count</c>).</summary>
    public async Task<int> CountGroupUsersAsync(string groupId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"groups/{Uri.EscapeDataString(groupId)}/transitiveMembers/microsoft.graph.user/$count", null, "eventual", cancellationToken);
        var text = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim().TrimStart('\uFEFF');
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : throw new GraphUnavailableException($"Graph answered the member count of group {groupId} with '{(text.Length > 40 ? text[..40] : text)}'");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json, string? consistency, CancellationToken cancellationToken)
    {
        if (_credential.Value is not { } credential)
        {
            throw new GraphUnavailableException("Microsoft Graph is not used in local Playground mode");
        }
        using var request = new HttpRequestMessage(method, $"{_baseUrl}/{path}");
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        if (consistency is not null)
        {
            request.Headers.Add("ConsistencyLevel", consistency);
        }
        HttpResponseMessage response;
        try
        {
            var token = await credential.GetTokenAsync(Scope, cancellationToken);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
            response = await _http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or AuthenticationFailedException or Polly.Timeout.TimeoutRejectedException
                                       || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new GraphUnavailableException($"Graph call {method} {path.Split('?')[0]} failed: {ex.GetType().Name}", null, ex);
        }
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound)
        {
            return response;
        }
        var status = response.StatusCode;
        response.Dispose();
        throw new GraphUnavailableException($"Graph call {method} {path.Split('?')[0]} answered {(int)status}", status);
    }

    private static async Task<JsonNode?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (JsonException ex)
        {
            throw new GraphUnavailableException("Graph answered with a body that is not JSON", response.StatusCode, ex);
        }
    }

    private static TokenCredential CreateCredential(BotOptions options) => options.IsUserAssignedMsi
        ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.MicrosoftAppId!))
        : new ClientSecretCredential(options.MicrosoftAppTenantId, options.MicrosoftAppId, options.MicrosoftAppPassword);
}
