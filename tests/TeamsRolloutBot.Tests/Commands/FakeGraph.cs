using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TeamsRolloutBot.Tests.Infrastructure;

namespace TeamsRolloutBot.Tests.Commands;

/// <summary>One call the bot made to Graph.</summary>
public sealed record GraphCall(string Method, string Path, string? Authorization, string? ConsistencyLevel, string Body);

/// <summary>
/// Plays Microsoft Graph on loopback for the lead checks and recipient counts: users with a UPN, group memberships and
/// group sizes; or every call answered with a failure status.
/// </summary>
public sealed class FakeGraph : LoopbackServer
{
    public ConcurrentDictionary<string, string> Upns { get; } = new(StringComparer.OrdinalIgnoreCase);
    public ConcurrentDictionary<string, HashSet<string>> Groups { get; } = new(StringComparer.OrdinalIgnoreCase);
    public ConcurrentDictionary<string, int> GroupSizes { get; } = new(StringComparer.OrdinalIgnoreCase);
    public ConcurrentQueue<GraphCall> Calls { get; } = new();

    /// <summary>When set, every call is answered with this status (for example 403 without permission).</summary>
    public int? FailWith { get; set; }

    public string BaseUrl => Url + "/v1.0";

    public static async Task<FakeGraph> StartNewAsync()
    {
        var server = new FakeGraph();
        await server.StartAsync(app => app.Map("/{**path}", server.HandleAsync));
        return server;
    }

    public int CallsTo(string pathPart) => Calls.Count(c => c.Path.Contains(pathPart, StringComparison.OrdinalIgnoreCase));

    private async Task HandleAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context.Request);
        var path = context.Request.Path.Value ?? "";
        Calls.Enqueue(new GraphCall(context.Request.Method, path + context.Request.QueryString, context.Request.Headers.Authorization.FirstOrDefault(),
            context.Request.Headers["ConsistencyLevel"].FirstOrDefault(), body));
        if (FailWith is { } status)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new { error = new { code = "Authorization_RequestDenied", message = "Insufficient privileges" } });
            return;
        }
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        // /v1.0/users/{id}
        if (parts is ["v1.0", "users", var user] && context.Request.Method == "GET")
        {
            if (!Upns.TryGetValue(user, out var upn))
            {
                context.Response.StatusCode = 404;
                return;
            }
            await context.Response.WriteAsJsonAsync(new { userPrincipalName = upn });
            return;
        }
        // /v1.0/users/{id}/checkMemberGroups
        if (parts is ["v1.0", "users", var member, "checkMemberGroups"])
        {
            var asked = JsonNode.Parse(body)!["groupIds"]!.AsArray().Select(g => g!.GetValue<string>());
            var found = asked.Where(g => Groups.TryGetValue(g, out var members) && members.Contains(member)).ToArray();
            await context.Response.WriteAsJsonAsync(new { value = found });
            return;
        }
        // /v1.0/groups/{id}/transitiveMembers/microsoft.graph.user/$count
        if (parts is ["v1.0", "groups", var group, "transitiveMembers", "microsoft.graph.user", "$count"])
        {
            if (!GroupSizes.TryGetValue(group, out var size))
            {
                context.Response.StatusCode = 404;
                return;
            }
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(size.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return;
        }
        context.Response.StatusCode = 400;
    }
}

/// <summary>Plays the OneDrive upload URL that Teams hands out in a file consent: records each PUT.</summary>
public sealed class FakeUpload : LoopbackServer
{
    public ConcurrentQueue<(string Path, string? ContentRange, byte[] Body)> Puts { get; } = new();

    public static async Task<FakeUpload> StartNewAsync()
    {
        var server = new FakeUpload();
        await server.StartAsync(app => app.Map("/{**path}", async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            server.Puts.Enqueue((context.Request.Path.Value ?? "", context.Request.Headers.ContentRange.FirstOrDefault(), buffer.ToArray()));
            context.Response.StatusCode = 201;
            await context.Response.WriteAsJsonAsync(new { id = "file-1" });
        }));
        return server;
    }
}
