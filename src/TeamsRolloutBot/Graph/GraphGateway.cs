using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Authentication.Azure;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Graph;

/// <summary><c>Graph:</c> settings.</summary>
public sealed class GraphOptions
{
    /// <summary><c>Graph:Enabled</c>: use Microsoft Graph (default: on, except in local Playground mode).</summary>
    public bool? Enabled { get; set; }

    /// <summary><c>Graph:BaseUrl</c>: the Graph endpoint (national clouds, or a fake on loopback in tests).</summary>
    public string BaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";

    /// <summary><c>Graph:TeamsAppCatalogId</c>: the app's id in the org catalog, for proactive installs.</summary>
    public string? TeamsAppCatalogId { get; set; }

    /// <summary><c>Graph:TeamsAppExternalId</c>: the manifest id, used to look the catalog id up when it is not set.</summary>
    public string? TeamsAppExternalId { get; set; }
}

/// <summary>A directory user as delivery needs it.</summary>
public sealed record DirectoryUser(string Id, string? DisplayName, string? Mail, string? UserPrincipalName, string? PreferredLanguage);

/// <summary>What a Graph call came to, in the delivery layer's terms.</summary>
public enum GraphOutcome
{
    Done,
    /// <summary>429 after the SDK's own retries: try again after <see cref="GraphResult.RetryAfter"/>.</summary>
    Throttled,
    /// <summary>The user or mailbox does not exist (404).</summary>
    NotFound,
    /// <summary>5xx, timeouts, network: retry later.</summary>
    Transient,
    /// <summary>Bad request, missing permission: retrying will not help.</summary>
    Permanent,
}

/// <summary>The outcome of a Graph call with the reason when it failed.</summary>
public sealed record GraphResult(GraphOutcome Outcome, int? StatusCode = null, string? Detail = null, TimeSpan? RetryAfter = null)
{
    public static readonly GraphResult Ok = new(GraphOutcome.Done);
}

/// <summary>A Graph call that failed where a value was needed (member listing).</summary>
public sealed class GraphCallException(GraphResult result) : Exception($"Graph call failed: {result.Outcome} {result.StatusCode} {result.Detail}")
{
    public GraphResult Result { get; } = result;
}

/// <summary>
/// The few Microsoft Graph calls delivery makes: transitive group members (paged), one user, installing the app for a
/// user, and sendMail. Tokens go only to the configured Graph host (bot-protocol.md §5.2).
/// </summary>
public sealed class GraphGateway : IDisposable
{
    private static readonly string[] UserFields = ["id", "displayName", "mail", "userPrincipalName", "preferredLanguage"];
    private readonly GraphServiceClient? _client;
    private readonly GraphOptions _options;
    private string? _catalogId;

    public GraphGateway(IOptions<GraphOptions> options, IOptions<BotOptions> bot, IServiceProvider services)
    {
        _options = options.Value;
        _catalogId = _options.TeamsAppCatalogId;
        IsEnabled = _options.Enabled ?? !bot.Value.LocalPlayground;
        if (!IsEnabled)
        {
            return;
        }
        var credential = services.GetService<TokenCredential>() ?? CreateCredential(bot.Value);
        var host = new Uri(_options.BaseUrl).Host;
        var auth = new AzureIdentityAuthenticationProvider(credential, [host], null, true, scopes: ["https://graph.microsoft.com/.default"]);
        var http = GraphClientFactory.Create();
        http.Timeout = TimeSpan.FromSeconds(60);
        _client = new GraphServiceClient(http, auth, _options.BaseUrl.TrimEnd('/'));
    }

    public void Dispose() => _client?.Dispose();

    /// <summary>False in local Playground mode: there is no directory to ask.</summary>
    public bool IsEnabled { get; }

    private GraphServiceClient Client => _client ?? throw new InvalidOperationException("Graph is not enabled (Graph:Enabled=false or local Playground mode).");

    /// <summary>Every user in a group, nested groups included, page by page (999 per page).</summary>
    public async IAsyncEnumerable<DirectoryUser> GetTransitiveUsersAsync(string groupId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var builder = Client.Groups[groupId].TransitiveMembers.GraphUser;
        UserCollectionResponse? page;
        try
        {
            page = await builder.GetAsync(r => { r.QueryParameters.Select = UserFields; r.QueryParameters.Top = 999; }, cancellationToken);
        }
        catch (Exception ex) when (Classify(ex) is { } failure)
        {
            throw new GraphCallException(failure);
        }
        while (page is not null)
        {
            foreach (var user in page.Value ?? [])
            {
                if (user.Id is { } id)
                {
                    yield return new DirectoryUser(id, user.DisplayName, user.Mail, user.UserPrincipalName, user.PreferredLanguage);
                }
            }
            if (string.IsNullOrEmpty(page.OdataNextLink))
            {
                yield break;
            }
            try
            {
                page = await builder.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: cancellationToken);
            }
            catch (Exception ex) when (Classify(ex) is { } failure)
            {
                throw new GraphCallException(failure);
            }
        }
    }

    /// <summary>One user by Entra object id or UPN, or null when there is none.</summary>
    public async Task<DirectoryUser?> FindUserAsync(string idOrUpn, CancellationToken cancellationToken)
    {
        try
        {
            var user = await Client.Users[idOrUpn].GetAsync(r => r.QueryParameters.Select = UserFields, cancellationToken);
            return user?.Id is null ? null : new DirectoryUser(user.Id, user.DisplayName, user.Mail, user.UserPrincipalName, user.PreferredLanguage);
        }
        catch (Exception ex) when (Classify(ex) is { } failure)
        {
            return failure.Outcome == GraphOutcome.NotFound ? null : throw new GraphCallException(failure);
        }
    }

    /// <summary>Installs the bot's Teams app for a user (personal scope); "already installed" counts as done.</summary>
    public async Task<GraphResult> InstallAppForUserAsync(string userId, CancellationToken cancellationToken)
    {
        try
        {
            var catalogId = await CatalogIdAsync(cancellationToken);
            if (catalogId is null)
            {
                return new GraphResult(GraphOutcome.Permanent, Detail: "the app is not in the org catalog: set Graph:TeamsAppCatalogId (or Graph:TeamsAppExternalId)");
            }
            await Client.Users[userId].Teamwork.InstalledApps.PostAsync(new UserScopeTeamsAppInstallation
            {
                AdditionalData = new Dictionary<string, object> { ["teamsApp@odata.bind"] = $"{_options.BaseUrl.TrimEnd('/')}/appCatalogs/teamsApps/{catalogId}" },
            }, cancellationToken: cancellationToken);
            return GraphResult.Ok;
        }
        catch (Exception ex) when (Classify(ex) is { } failure)
        {
            return failure.StatusCode == 409 ? GraphResult.Ok : failure;
        }
    }

    /// <summary>Sends one HTML e-mail from <paramref name="from"/> to <paramref name="to"/> (not saved to Sent Items).</summary>
    public async Task<GraphResult> SendMailAsync(string from, string to, string subject, string html, CancellationToken cancellationToken)
    {
        try
        {
            await Client.Users[from].SendMail.PostAsync(new Microsoft.Graph.Users.Item.SendMail.SendMailPostRequestBody
            {
                Message = new Message
                {
                    Subject = subject,
                    Body = new ItemBody { ContentType = BodyType.Html, Content = html },
                    ToRecipients = [new Recipient { EmailAddress = new EmailAddress { Address = to } }],
                },
                SaveToSentItems = false,
            }, cancellationToken: cancellationToken);
            return GraphResult.Ok;
        }
        catch (Exception ex) when (Classify(ex) is { } failure)
        {
            return failure;
        }
    }

    private async Task<string?> CatalogIdAsync(CancellationToken cancellationToken)
    {
        if (_catalogId is not null || string.IsNullOrEmpty(_options.TeamsAppExternalId))
        {
            return _catalogId;
        }
        var apps = await Client.AppCatalogs.TeamsApps.GetAsync(r => r.QueryParameters.Filter = $"externalId eq '{_options.TeamsAppExternalId.Replace("'", "''", StringComparison.Ordinal)}'", cancellationToken);
        return _catalogId = apps?.Value is [var app, ..] ? app.Id : null;
    }

    /// <summary>Maps a Graph failure to an outcome; null for exceptions that are not Graph failures (they propagate).</summary>
    internal static GraphResult? Classify(Exception ex)
    {
        switch (ex)
        {
            case ApiException api:
                var status = api.ResponseStatusCode;
                var detail = ex is ODataError odata ? $"{odata.Error?.Code}: {odata.Error?.Message}" : ex.Message;
                TimeSpan? retryAfter = api.ResponseHeaders.TryGetValue("Retry-After", out var values)
                    && values.FirstOrDefault() is { } first && int.TryParse(first, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                    ? TimeSpan.FromSeconds(seconds) : null;
                var outcome = status switch
                {
                    429 => GraphOutcome.Throttled,
                    404 => GraphOutcome.NotFound,
                    408 or >= 500 => GraphOutcome.Transient,
                    _ => GraphOutcome.Permanent,
                };
                return new GraphResult(outcome, status, detail, retryAfter);
            case HttpRequestException or TimeoutException:
            case TaskCanceledException canceled when !canceled.CancellationToken.IsCancellationRequested:
                return new GraphResult(GraphOutcome.Transient, null, ex.GetType().Name + ": " + ex.Message);
            default:
                return null;
        }
    }

    private static TokenCredential CreateCredential(BotOptions options) => options.IsUserAssignedMsi
        ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.MicrosoftAppId!))
        : new ClientSecretCredential(options.MicrosoftAppTenantId, options.MicrosoftAppId, options.MicrosoftAppPassword);
}
