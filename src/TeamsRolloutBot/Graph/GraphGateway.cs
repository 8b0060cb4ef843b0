using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Graph;

/// <summary>
/// The Graph endpoints delivery and recipient resolution call: transitive group members (paged), one user, installing the
/// app for a user, and sendMail. Thin methods over <see cref="GraphClient"/>.
/// </summary>
public sealed class GraphGateway(GraphClient graph, IOptions<GraphOptions> options)
{
    private const string UserFields = "id,displayName,mail,userPrincipalName,preferredLanguage";
    private string? _catalogId = options.Value.TeamsAppCatalogId;

    /// <summary>False in local Playground mode (or <c>Graph:Enabled=false</c>): there is no directory to ask.</summary>
    public bool IsEnabled => graph.IsEnabled;

    /// <summary>Every user in a group, nested groups included, page by page (999 per page).</summary>
    public async IAsyncEnumerable<DirectoryUser> GetTransitiveUsersAsync(string groupId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? page = $"groups/{Uri.EscapeDataString(groupId)}/transitiveMembers/microsoft.graph.user?$select={UserFields}&$top=999";
        while (page is not null)
        {
            var result = await graph.SendJsonAsync(HttpMethod.Get, page, null, cancellationToken);
            if (!result.IsSuccess)
            {
                throw GraphCallException.From(result);
            }
            foreach (var user in (result.Value?["value"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (ToUser(user) is { } found)
                {
                    yield return found;
                }
            }
            page = result.Value?["@odata.nextLink"]?.GetValue<string>() is { Length: > 0 } next ? next : null;
        }
    }

    /// <summary>One user by Entra object id or UPN, or null when there is none.</summary>
    public async Task<DirectoryUser?> FindUserAsync(string idOrUpn, CancellationToken cancellationToken)
    {
        var result = await graph.SendJsonAsync(HttpMethod.Get, $"users/{Uri.EscapeDataString(idOrUpn)}?$select={UserFields}", null, cancellationToken);
        return result.Outcome switch
        {
            GraphOutcome.Success => result.Value as JsonObject is { } user ? ToUser(user) : null,
            GraphOutcome.NotFound => null,
            _ => throw GraphCallException.From(result),
        };
    }

    /// <summary>Installs the bot's Teams app for a user (personal scope); "already installed" (409) counts as done.</summary>
    public async Task<GraphResult<bool>> InstallAppForUserAsync(string userId, CancellationToken cancellationToken)
    {
        var catalog = await CatalogIdAsync(cancellationToken);
        if (!catalog.IsSuccess)
        {
            return catalog.As<bool>();
        }
        if (catalog.Value is not { } catalogId)
        {
            return new(GraphOutcome.Permanent, Error: "the app is not in the org catalog: set Graph:TeamsAppCatalogId (or Graph:TeamsAppExternalId)");
        }
        var body = new JsonObject { ["teamsApp@odata.bind"] = $"{graph.Root}/appCatalogs/teamsApps/{catalogId}" };
        var result = await graph.SendAsync(HttpMethod.Post, $"users/{Uri.EscapeDataString(userId)}/teamwork/installedApps", body, cancellationToken);
        return result.IsSuccess || result.Status == 409 ? new(GraphOutcome.Success, true, result.Status) : result.As<bool>();
    }

    /// <summary>Sends one HTML e-mail from <paramref name="from"/> to <paramref name="to"/> (not saved to Sent Items).</summary>
    public async Task<GraphResult<bool>> SendMailAsync(string from, string to, string subject, string html, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["message"] = new JsonObject
            {
                ["subject"] = subject,
                ["body"] = new JsonObject { ["contentType"] = "html", ["content"] = html },
                ["toRecipients"] = new JsonArray(new JsonObject { ["emailAddress"] = new JsonObject { ["address"] = to } }),
            },
            ["saveToSentItems"] = false,
        };
        var result = await graph.SendAsync(HttpMethod.Post, $"users/{Uri.EscapeDataString(from)}/sendMail", body, cancellationToken);
        return result.IsSuccess ? result.With(true) : result.As<bool>();
    }

    private async Task<GraphResult<string?>> CatalogIdAsync(CancellationToken cancellationToken)
    {
        if (_catalogId is not null || string.IsNullOrEmpty(options.Value.TeamsAppExternalId))
        {
            return new(GraphOutcome.Success, _catalogId);
        }
        var filter = Uri.EscapeDataString($"externalId eq '{options.Value.TeamsAppExternalId.Replace("'", "''", StringComparison.Ordinal)}'");
        var apps = await graph.SendJsonAsync(HttpMethod.Get, $"appCatalogs/teamsApps?$filter={filter}", null, cancellationToken);
        if (!apps.IsSuccess)
        {
            return apps.As<string?>();
        }
        _catalogId = (apps.Value?["value"] as JsonArray)?.OfType<JsonObject>().Select(a => a["id"]?.GetValue<string>()).FirstOrDefault(id => id is not null);
        return new(GraphOutcome.Success, _catalogId);
    }

    private static DirectoryUser? ToUser(JsonObject user) => user["id"]?.GetValue<string>() is { Length: > 0 } id
        ? new DirectoryUser(id, Text(user, "displayName"), Text(user, "mail"), Text(user, "userPrincipalName"), Text(user, "preferredLanguage"))
        : null;

    private static string? Text(JsonObject node, string name) => node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
