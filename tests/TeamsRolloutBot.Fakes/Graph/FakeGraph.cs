using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace TeamsRolloutBot.Fakes;

/// <summary>
/// Microsoft Graph on loopback for every suite: a Kestrel server whose routes come from route modules, one per Graph
/// area (<see cref="Directory"/>, <see cref="TeamsApps"/>, <see cref="Mail"/>, <see cref="SharePoint"/>,
/// <see cref="ChannelMessages"/>, and any passed to <see cref="StartAsync"/>). It records every call in
/// <see cref="Calls"/>, answers scripted <see cref="Faults"/> before routing, and answers an unknown route 404 with a
/// Graph error body.
/// </summary>
public sealed class FakeGraph : LoopbackServer
{
    private readonly GraphRouteTable _routes = new();
    private readonly List<IGraphRoutes> _modules = [];

    private FakeGraph(IEnumerable<IGraphRoutes> extra)
    {
        foreach (var module in (IGraphRoutes[])[Directory, TeamsApps, Mail, SharePoint, ChannelMessages, .. extra])
        {
            module.Map(_routes);
            _modules.Add(module);
        }
    }

    /// <summary>The base URL to configure as <c>Graph:BaseUrl</c> (ends in /v1.0).</summary>
    public string BaseUrl => Url + "/v1.0";

    /// <summary>Every call received, in order, faults and unknown routes included.</summary>
    public ConcurrentQueue<GraphCall> Calls { get; } = new();

    /// <summary>False: calls are not kept in <see cref="Calls"/> (benchmarks, where they would only cost memory).</summary>
    public bool Record { get; set; } = true;

    /// <summary>Scripted failures, slow and lost answers, and outages.</summary>
    public GraphFaults Faults { get; } = new();

    /// <summary>Users and groups: users/{id}, transitiveMembers (paged), $count, checkMemberGroups.</summary>
    public DirectoryRoutes Directory { get; } = new();

    /// <summary>App installations for users.</summary>
    public TeamsAppRoutes TeamsApps { get; } = new();

    /// <summary>sendMail.</summary>
    public MailRoutes Mail { get; } = new();

    /// <summary>The feedback SharePoint list: items and columns.</summary>
    public SharePointListRoutes SharePoint { get; } = new();

    /// <summary>Channel message replies (paged).</summary>
    public ChannelMessageRoutes ChannelMessages { get; } = new();

    /// <summary>A module passed to <see cref="StartAsync"/>, by type.</summary>
    public T Routes<T>() where T : IGraphRoutes => _modules.OfType<T>().Single();

    /// <summary>Calls of <paramref name="method"/> whose path ends with <paramref name="pathEnd"/>.</summary>
    public IReadOnlyList<GraphCall> CallsTo(string method, string pathEnd) =>
        [.. Calls.Where(c => c.Method == method && c.Path.EndsWith(pathEnd, StringComparison.Ordinal))];

    /// <summary>Starts the fake on 127.0.0.1 (<paramref name="port"/> 0: any free port) with the built-in modules and <paramref name="extraRoutes"/>.</summary>
    public static async Task<FakeGraph> StartAsync(int port = 0, params IGraphRoutes[] extraRoutes)
    {
        var fake = new FakeGraph(extraRoutes);
        await fake.StartAsync(fake.HandleAsync, port);
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        var path = request.Path.Value ?? "";
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        if (Record)
        {
            Calls.Enqueue(new GraphCall(request.Method, path, Uri.UnescapeDataString(request.QueryString.Value ?? ""), request.Headers.Authorization.FirstOrDefault(), body, headers));
        }

        var fault = Faults.Take(request.Method, path);
        if (fault is { AfterHandling: false })
        {
            if (!await WaitAsync(fault.Delay, context))
            {
                return;
            }
            if (fault.Status is not null)
            {
                await WriteAsync(context, fault.Response());
                return;
            }
        }
        var answer = Route(context, path, body);
        if (fault is { AfterHandling: true })
        {
            if (!await WaitAsync(fault.Delay, context))
            {
                return;   // the caller gave up waiting; the call took effect all the same
            }
            if (fault.Status is not null)
            {
                answer = fault.Response();
            }
        }
        await WriteAsync(context, answer);
    }

    private GraphResponse Route(HttpContext context, string path, string body)
    {
        var segments = path.Trim('/').Split('/');
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (segments is ["v1.0", .. var rest] && _routes.Find(context.Request.Method, [.. rest.Select(Uri.UnescapeDataString)], values) is { } handler)
        {
            return handler(new GraphRequest(context.Request, values, body, BaseUrl));
        }
        return GraphResponse.Error(404, "NotFound", $"The fake Graph has no route for {context.Request.Method} {path}");
    }

    private static async Task<bool> WaitAsync(TimeSpan delay, HttpContext context)
    {
        if (delay <= TimeSpan.Zero)
        {
            return true;
        }
        try
        {
            await Task.Delay(delay, context.RequestAborted);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task WriteAsync(HttpContext context, GraphResponse answer)
    {
        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers)
        {
            context.Response.Headers[name] = value;
        }
        if (answer.Body is not null)
        {
            context.Response.ContentType = answer.ContentType;
            await context.Response.WriteAsync(answer.Body);
        }
    }

}
