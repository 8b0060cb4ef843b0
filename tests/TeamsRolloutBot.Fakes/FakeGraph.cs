using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TeamsRolloutBot.Fakes;

/// <summary>
/// One sendMail request as Graph received it: the mailbox it was sent from, the first recipient, the subject, the
/// body's content type and content, and the whole request JSON.
/// </summary>
public sealed record FakeMail(string From, string To, string Subject, string ContentType, string Body, JsonNode Request);

/// <summary>A user in the fake directory.</summary>
public sealed record FakeUser(string Id, string? Mail, string? PreferredLanguage = null, string? DisplayName = null);

/// <summary>
/// Microsoft Graph on loopback for the calls delivery makes: transitive group members (paged with @odata.nextLink),
/// one user, app installation for a user (adds the user to <see cref="FakeTeams.Installed"/>), and sendMail.
/// Faults (5xx, 429 with Retry-After) can be injected for the next calls.
/// </summary>
public sealed class FakeGraph : IAsyncDisposable
{
    private readonly ConcurrentQueue<(int Status, int? RetryAfter)> _faults = new();
    private WebApplication? _app;

    /// <summary>The base URL to configure as <c>Graph:BaseUrl</c> (ends in /v1.0).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Members per group id.</summary>
    public ConcurrentDictionary<string, IReadOnlyList<FakeUser>> Groups { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Users by id and by mail.</summary>
    public ConcurrentDictionary<string, FakeUser> Users { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>App installs requested, by user id.</summary>
    public ConcurrentQueue<string> Installs { get; } = new();

    /// <summary>Mails sent, in the order Graph accepted them.</summary>
    public ConcurrentQueue<FakeMail> Mails { get; } = new();

    /// <summary>Authorization headers seen (a test can check a token was sent).</summary>
    public ConcurrentQueue<string?> Authorizations { get; } = new();

    /// <summary>The Teams fake whose installed users a Graph install adds to.</summary>
    public FakeTeams? Teams { get; set; }

    /// <summary>Page size of transitiveMembers (Graph: up to 999 with $top).</summary>
    public int PageSize { get; set; } = 999;

    public void AddGroup(string groupId, IReadOnlyList<FakeUser> members)
    {
        Groups[groupId] = members;
        foreach (var member in members)
        {
            Users[member.Id] = member;
        }
    }

    /// <summary>Faults injected and not yet consumed.</summary>
    public int PendingFaults => _faults.Count;

    /// <summary>The next calls fail with this status (and Retry-After seconds).</summary>
    public void InjectFault(int status, int count = 1, int? retryAfterSeconds = null)
    {
        for (var i = 0; i < count; i++)
        {
            _faults.Enqueue((status, retryAfterSeconds));
        }
    }

    public static async Task<FakeGraph> StartAsync()
    {
        var fake = new FakeGraph();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        fake._app = builder.Build();
        fake._app.Map("/{**path}", fake.HandleAsync);
        await fake._app.StartAsync();
        fake.BaseUrl = fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1.0";
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Authorizations.Enqueue(context.Request.Headers.Authorization.FirstOrDefault());
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        if (_faults.TryDequeue(out var fault))
        {
            context.Response.StatusCode = fault.Status;
            if (fault.RetryAfter is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(new JsonObject { ["error"] = new JsonObject { ["code"] = $"Injected{fault.Status}", ["message"] = "injected fault" } }.ToJsonString());
            return;
        }
        var segments = (context.Request.Path.Value ?? "").Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        // segments[0] == "v1.0"
        if (segments.Length >= 4 && segments[1] == "groups" && segments[3] == "transitiveMembers")
        {
            await MembersAsync(context, segments[2]);
        }
        else if (segments.Length == 3 && segments[1] == "users" && context.Request.Method == "GET")
        {
            if (Users.TryGetValue(segments[2], out var user) || (Users.Values.FirstOrDefault(u => string.Equals(u.Mail, segments[2], StringComparison.OrdinalIgnoreCase)) is { } byMail && (user = byMail) is not null))
            {
                await WriteAsync(context, 200, UserJson(user));
            }
            else
            {
                await WriteAsync(context, 404, new JsonObject { ["error"] = new JsonObject { ["code"] = "Request_ResourceNotFound", ["message"] = "no such user" } });
            }
        }
        else if (segments.Length >= 5 && segments[1] == "users" && segments[3] == "teamwork" && segments[4] == "installedApps")
        {
            Installs.Enqueue(segments[2]);
            Teams?.Installed.TryAdd(segments[2], true);
            context.Response.StatusCode = 201;
        }
        else if (segments.Length >= 4 && segments[1] == "users" && segments[3] == "sendMail")
        {
            // Graph matches property names case-insensitively; the SDK sends "Message".
            var request = JsonNode.Parse(body, new JsonNodeOptions { PropertyNameCaseInsensitive = true })!;
            var message = request["message"]!;
            Mails.Enqueue(new FakeMail(segments[2], (string)message["toRecipients"]![0]!["emailAddress"]!["address"]!, (string?)message["subject"] ?? "",
                (string?)message["body"]?["contentType"] ?? "", (string?)message["body"]?["content"] ?? "", request));
            context.Response.StatusCode = 202;
        }
        else
        {
            await WriteAsync(context, 404, new JsonObject { ["error"] = new JsonObject { ["code"] = "NotFound", ["message"] = context.Request.Path.Value } });
        }
    }

    private async Task MembersAsync(HttpContext context, string groupId)
    {
        if (!Groups.TryGetValue(groupId, out var members))
        {
            await WriteAsync(context, 404, new JsonObject { ["error"] = new JsonObject { ["code"] = "Request_ResourceNotFound", ["message"] = "no such group" } });
            return;
        }
        var skip = int.TryParse(context.Request.Query["$skiptoken"], out var s) ? s : 0;
        var top = int.TryParse(context.Request.Query["$top"], out var t) ? Math.Min(t, PageSize) : Math.Min(100, PageSize);
        var page = members.Skip(skip).Take(top).Select(u => (JsonNode)UserJson(u)).ToArray();
        var result = new JsonObject { ["value"] = new JsonArray(page) };
        if (skip + top < members.Count)
        {
            result["@odata.nextLink"] = $"{BaseUrl}/groups/{groupId}/transitiveMembers/microsoft.graph.user?$top={top}&$skiptoken={skip + top}";
        }
        await WriteAsync(context, 200, result);
    }

    private static JsonObject UserJson(FakeUser u) => new()
    {
        ["@odata.type"] = "#microsoft.graph.user",
        ["id"] = u.Id,
        ["displayName"] = u.DisplayName ?? u.Id,
        ["mail"] = u.Mail,
        ["userPrincipalName"] = u.Mail,
        ["preferredLanguage"] = u.PreferredLanguage,
    };

    private static async Task WriteAsync(HttpContext context, int status, JsonNode node)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(node.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
