using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace TeamsRolloutBot.Fakes;

/// <summary>One call the bot made to the connector, as the fake saw it (path with its query, as sent).</summary>
public sealed record ConnectorCall(string Method, string Path, string? Authorization, string Body, DateTimeOffset At)
{
    public JsonNode? Json => string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body);
}

/// <summary>
/// The Teams Bot Connector on loopback, for every suite and the benchmarks. It records every call (method, path,
/// authorization, body, time) unless <see cref="Record"/> is off, answers what a test scripted first (status, body,
/// Retry-After, or a hang), and otherwise answers as Teams does. Teams' documented limits (bot-protocol.md §4.3) are
/// optional: started with a tenant limit it enforces a tenant-wide requests-per-second ceiling and the
/// per-conversation windows (7/1 s, 8/2 s, 60/30 s, 1800/h), answering 429 with Retry-After; <see cref="RequireInstall"/>
/// and <see cref="Blocked"/> model installs and blocks. It counts accepted messages per conversation, so a test or the
/// benchmark can count who got what (lost and duplicated sends). Personal chat ids are <c>a:{user id}</c>.
/// </summary>
public sealed class FakeTeams : LoopbackServer
{
    private static readonly (int Count, TimeSpan Window)[] ConversationWindows =
        [(7, TimeSpan.FromSeconds(1)), (8, TimeSpan.FromSeconds(2)), (60, TimeSpan.FromSeconds(30)), (1800, TimeSpan.FromHours(1))];

    private readonly ConcurrentDictionary<string, Queue<long>> _conversationWindows = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(int Status, string Body, string? RetryAfter, TimeSpan Hang)> _scripted = new();
    private long _activityIds;
    private long _throttled;
    private long _accepted;
    private long _requests;

    private readonly RateWindow? _tenant;

    private FakeTeams(int? tenantLimit)
    {
        TenantLimit = tenantLimit;
        _tenant = tenantLimit is { } limit ? new RateWindow(limit, TimeSpan.FromSeconds(1)) : null;
    }

    /// <summary>Calls allowed per second for the whole tenant (Teams: about 50); null: no rate limits (functional tests).</summary>
    public int? TenantLimit { get; }

    /// <summary>The serviceUrl to give the bot (with Teams' trailing path).</summary>
    public string ServiceUrl => Url + "/teams/";

    /// <summary>Extra delay per call, to model the real connector's latency.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>When true, opening a 1:1 chat with a user who is not in <see cref="Installed"/> fails with 403 BotNotInConversationRoster.</summary>
    public bool RequireInstall { get; set; }

    /// <summary>Users who have the app installed (Graph installs add to it).</summary>
    public ConcurrentDictionary<string, bool> Installed { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Users who blocked the bot: sends to their chat (and updates and deletes there) fail with 403 ConversationBlockedByUser.</summary>
    public ConcurrentDictionary<string, bool> Blocked { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Messages accepted per conversation id (new channel threads count under the channel id).</summary>
    public ConcurrentDictionary<string, int> Messages { get; } = new(StringComparer.Ordinal);

    /// <summary>Activities replaced in place (PUT), per conversation.</summary>
    public ConcurrentDictionary<string, int> Updates { get; } = new(StringComparer.Ordinal);

    /// <summary>Activities deleted (DELETE), per conversation.</summary>
    public ConcurrentDictionary<string, int> Deletes { get; } = new(StringComparer.Ordinal);

    /// <summary>Activity ids that no longer exist: PUT and DELETE on them answer 404.</summary>
    public ConcurrentDictionary<string, bool> Gone { get; } = new(StringComparer.Ordinal);

    /// <summary>Keep <see cref="Calls"/> and <see cref="LastBody"/> (tests read them; the benchmark turns it off to measure the bot, not the fake).</summary>
    public bool Record { get; set; } = true;

    /// <summary>Every call received, in arrival order (while <see cref="Record"/> is on).</summary>
    public ConcurrentQueue<ConnectorCall> Calls { get; } = new();

    /// <summary>The last text or card body per conversation (for tests that read the status card).</summary>
    public ConcurrentDictionary<string, string> LastBody { get; } = new(StringComparer.Ordinal);

    /// <summary>Members returned by pagedmembers for a team or conversation id.</summary>
    public ConcurrentDictionary<string, IReadOnlyList<string>> Rosters { get; } = new(StringComparer.Ordinal);

    /// <summary>429 answers given.</summary>
    public long Throttled => Interlocked.Read(ref _throttled);

    /// <summary>Calls accepted.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Every call received.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Messages accepted in a user's 1:1 chat.</summary>
    public int MessagesTo(string userId) => Messages.TryGetValue(PersonalId(userId), out var n) ? n : 0;

    public static string PersonalId(string userId) => "a:" + userId.ToLowerInvariant();

    /// <summary>
    /// The next <paramref name="count"/> calls get this answer (status, JSON body, Retry-After header) instead of
    /// Teams' own, before the limits are even checked.
    /// </summary>
    public void Enqueue(int status, string body = "", string? retryAfter = null, int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            _scripted.Enqueue((status, body, retryAfter, TimeSpan.Zero));
        }
    }

    /// <summary>The next calls hang this long (the bot's timeout should fire first), then fail with 503.</summary>
    public void EnqueueHang(TimeSpan duration, int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            _scripted.Enqueue((503, "", null, duration));
        }
    }

    /// <summary>Scripted answers not yet given.</summary>
    public int PendingAnswers => _scripted.Count;

    /// <summary>Waits until at least <paramref name="count"/> calls were recorded (bounded), and returns them all.</summary>
    public async Task<IReadOnlyList<ConnectorCall>> WaitForCallsAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (Calls.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        return Calls.ToList();
    }

    /// <summary>Starts the fake; with a <paramref name="tenantLimit"/> (calls per second) Teams' rate limits are on.</summary>
    public static async Task<FakeTeams> StartAsync(int? tenantLimit = null, int port = 0)
    {
        var fake = new FakeTeams(tenantLimit);
        await fake.StartAsync(fake.HandleAsync, port);
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var path = context.Request.Path.Value ?? "";
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        if (Record)
        {
            var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
            Calls.Enqueue(new ConnectorCall(context.Request.Method, target, context.Request.Headers.Authorization.FirstOrDefault(), body, DateTimeOffset.UtcNow));
        }
        var index = path.IndexOf("/v3/conversations", StringComparison.Ordinal);
        if (index < 0)
        {
            context.Response.StatusCode = 404;
            return;
        }
        var rest = path[(index + "/v3/conversations".Length)..].Trim('/');
        var segments = rest.Length == 0 ? [] : rest.Split('/').Select(Uri.UnescapeDataString).ToArray();
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency);
        }
        if (_scripted.TryDequeue(out var fault))
        {
            if (fault.Hang > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(fault.Hang, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            await WriteAsync(context, fault.Status, fault.Body, fault.RetryAfter);
            return;
        }
        var conversationKey = segments.Length > 0 ? segments[0] : "create";
        if (_tenant is not null && (!_tenant.TryTake() || (segments.Length > 0 && !TryConversationSlot(conversationKey))))
        {
            Interlocked.Increment(ref _throttled);
            await WriteAsync(context, 429, """{"error":{"code":"Throttled","message":"Too many requests"}}""", "1");
            return;
        }
        Interlocked.Increment(ref _accepted);
        var method = context.Request.Method;
        if (segments.Length == 0 && method == "POST")
        {
            await CreateConversationAsync(context, body);
        }
        else if (segments.Length >= 2 && segments[1] == "activities" && method == "POST")
        {
            var conversationId = segments[0];
            var user = conversationId.StartsWith("a:", StringComparison.Ordinal) ? conversationId[2..] : null;
            if (user is not null && Blocked.ContainsKey(user))
            {
                await WriteAsync(context, 403, """{"error":{"code":"ConversationBlockedByUser","message":"User blocked the conversation with the bot."}}""", null);
                return;
            }
            Messages.AddOrUpdate(conversationId, 1, (_, n) => n + 1);
            if (Record)
            {
                LastBody[conversationId] = body;
            }
            await WriteJsonAsync(context, new JsonObject { ["id"] = NextId() });
        }
        else if (segments.Length >= 3 && segments[1] == "activities" && method is "PUT" or "DELETE" && Gone.ContainsKey(segments[2]))
        {
            await WriteAsync(context, 404, """{"error":{"code":"NotFound","message":"The activity was not found."}}""", null);
        }
        else if (segments.Length >= 3 && segments[1] == "activities" && method is "PUT" or "DELETE"
                 && segments[0].StartsWith("a:", StringComparison.Ordinal) && Blocked.ContainsKey(segments[0][2..]))
        {
            await WriteAsync(context, 403, """{"error":{"code":"ConversationBlockedByUser","message":"User blocked the conversation with the bot."}}""", null);
        }
        else if (segments.Length >= 3 && segments[1] == "activities" && method == "DELETE")
        {
            Deletes.AddOrUpdate(segments[0], 1, (_, n) => n + 1);
            context.Response.StatusCode = 200;
        }
        else if (segments.Length >= 3 && segments[1] == "activities" && method == "PUT")
        {
            Updates.AddOrUpdate(segments[0], 1, (_, n) => n + 1);
            LastBody[segments[0]] = body;
            await WriteJsonAsync(context, new JsonObject { ["id"] = segments[2] });
        }
        else if (segments.Length >= 2 && segments[1] == "pagedmembers" && method == "GET")
        {
            await PagedMembersAsync(context, segments[0]);
        }
        else
        {
            await WriteJsonAsync(context, new JsonObject { ["id"] = NextId() });
        }
    }

    private async Task CreateConversationAsync(HttpContext context, string body)
    {
        var parameters = JsonNode.Parse(body)!;
        if (parameters["activity"] is JsonObject activity)
        {
            var channelId = (string?)parameters["channelData"]?["channel"]?["id"] ?? "unknown-channel";
            Messages.AddOrUpdate(channelId, 1, (_, n) => n + 1);
            LastBody[channelId] = activity.ToJsonString();
            var id = NextId();
            await WriteJsonAsync(context, new JsonObject { ["id"] = $"{channelId};messageid={id}", ["activityId"] = id });
            return;
        }
        var user = (string?)parameters["members"]?[0]?["id"] ?? "";
        if (RequireInstall && !Installed.ContainsKey(user))
        {
            await WriteAsync(context, 403, """{"error":{"code":"BotNotInConversationRoster","message":"The bot is not part of the conversation roster."}}""", null);
            return;
        }
        await WriteJsonAsync(context, new JsonObject { ["id"] = PersonalId(user) });
    }

    private async Task PagedMembersAsync(HttpContext context, string conversationId)
    {
        var members = Rosters.TryGetValue(conversationId, out var list) ? list : [];
        var size = int.TryParse(context.Request.Query["pageSize"], out var s) ? s : 100;
        var start = int.TryParse(context.Request.Query["continuationToken"], out var c) ? c : 0;
        var page = members.Skip(start).Take(size).Select(id => (JsonNode)new JsonObject { ["id"] = "29:" + id, ["aadObjectId"] = id, ["name"] = id }).ToArray();
        var result = new JsonObject { ["members"] = new JsonArray(page) };
        if (start + size < members.Count)
        {
            result["continuationToken"] = (start + size).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        await WriteJsonAsync(context, result);
    }

    private bool TryConversationSlot(string conversationId)
    {
        var log = _conversationWindows.GetOrAdd(conversationId, _ => new Queue<long>());
        var now = Stopwatch.GetTimestamp();
        lock (log)
        {
            var hour = now - (long)(Stopwatch.Frequency * 3600.0);
            while (log.Count > 0 && log.Peek() <= hour)
            {
                log.Dequeue();
            }
            foreach (var (count, window) in ConversationWindows)
            {
                var horizon = now - (long)(Stopwatch.Frequency * window.TotalSeconds);
                if (log.Count(t => t > horizon) >= count)
                {
                    return false;
                }
            }
            log.Enqueue(now);
            return true;
        }
    }

    private string NextId() => Interlocked.Increment(ref _activityIds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task WriteAsync(HttpContext context, int status, string body, string? retryAfter)
    {
        context.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    private static async Task WriteJsonAsync(HttpContext context, JsonNode node)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(node.ToJsonString());
    }

}
