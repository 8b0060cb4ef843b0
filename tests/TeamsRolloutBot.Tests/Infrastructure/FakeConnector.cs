using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace TeamsRolloutBot.Tests.Infrastructure;

/// <summary>One call the bot made to the connector, as the fake saw it.</summary>
public sealed record ConnectorCall(string Method, string Path, string? Authorization, string Body, DateTimeOffset At)
{
    public JsonNode? Json => string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body);
}

/// <summary>
/// Plays the Teams Bot Connector on loopback: records every call and answers 200 with an id, or what a test queued
/// (429 with Retry-After, 5xx, 403 ...).
/// </summary>
public sealed class FakeConnector : LoopbackServer
{
    private readonly ConcurrentQueue<(int Status, string Body, string? RetryAfter)> _scripted = new();
    private int _ids;

    public ConcurrentQueue<ConnectorCall> Calls { get; } = new();

    /// <summary>The serviceUrl activities should carry to reach this fake (with the trailing slash Teams uses).</summary>
    public string ServiceUrl => Url + "/teams/";

    public static async Task<FakeConnector> StartNewAsync()
    {
        var server = new FakeConnector();
        await server.StartAsync(app => app.Map("/{**path}", server.HandleAsync));
        return server;
    }

    /// <summary>The next call gets this answer instead of 200.</summary>
    public void Enqueue(int status, string body = "", string? retryAfter = null) => _scripted.Enqueue((status, body, retryAfter));

    /// <summary>Waits until at least <paramref name="count"/> calls arrived (bounded).</summary>
    public async Task<IReadOnlyList<ConnectorCall>> WaitForCallsAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (Calls.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        return Calls.ToList();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context.Request);
        var target = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget;
        Calls.Enqueue(new ConnectorCall(context.Request.Method, target,
            context.Request.Headers.Authorization.FirstOrDefault(), body, DateTimeOffset.UtcNow));
        if (_scripted.TryDequeue(out var scripted))
        {
            context.Response.StatusCode = scripted.Status;
            if (scripted.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = scripted.RetryAfter;
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(scripted.Body);
            return;
        }
        var id = Interlocked.Increment(ref _ids).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (context.Request.Path.Value!.EndsWith("/v3/conversations", StringComparison.Ordinal))
        {
            await context.Response.WriteAsJsonAsync(new { id = $"a:conversation-{id}", activityId = id });
            return;
        }
        await context.Response.WriteAsJsonAsync(new { id });
    }
}
