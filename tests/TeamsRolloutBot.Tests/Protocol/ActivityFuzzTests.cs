using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Feedback.Replies;
using TeamsRolloutBot.Tests.Commands;
using TeamsRolloutBot.Tests.Infrastructure;
using static TeamsRolloutBot.Tests.Commands.CommandsHarness;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Tests.Protocol;

/// <summary>
/// Seeded fuzzing of <c>POST /api/messages</c> through the real pipeline (real tokens, the commands test plan, fake
/// connector and Graph, a real SQLite file): mutated activities of every type the bot handles never get a 5xx (501
/// only for invoke names the bot does not implement), and the bot keeps serving. A failure prints its seed; set
/// <c>TRB_FUZZ_SEED</c> to replay it (or to try another one) and <c>TRB_FUZZ_ROUNDS</c> to send more.
/// </summary>
public sealed class ActivityFuzzTests(CommandsHarness bot) : IClassFixture<CommandsHarness>
{
    private const int DefaultSeed = 16_05_2026;
    private const int DefaultRounds = 90;
    private const string TrackedRoot = "1700000000001";
    private const string TrackedChannel = "19:small@thread.tacv2";
    private static readonly HashSet<string> HandledInvokes = ["adaptiveCard/action", "fileConsent/invoke"];

    private readonly Dictionary<string, string> _tokens = [];

    [Fact]
    public async Task Mutated_activities_of_every_type_never_get_a_5xx_and_the_bot_keeps_serving()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TRB_FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("TRB_FUZZ_ROUNDS"), CultureInfo.InvariantCulture, out var r) ? r : DefaultRounds;
        TestContext.Current.TestOutputHelper?.WriteLine($"fuzz seed {seed}, {rounds} rounds (TRB_FUZZ_SEED / TRB_FUZZ_ROUNDS)");
        await bot.Services.GetRequiredService<SqliteThreadReplyStore>().TrackAsync(
            new ThreadRoot(TrackedRoot, TrackedChannel, "19:small-team@thread.tacv2", null, "pilot", "small", "prepare", DateTimeOffset.UtcNow),
            TestContext.Current.CancellationToken);

        var random = new Random(seed);
        var bases = Bases();
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        var clock = Stopwatch.StartNew();
        var sent = 0;
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (name, template) in bases)
            {
                var activity = template.DeepClone().AsObject();
                activity["id"] = TestActivities.NextId();
                var mutation = new Mutation(random);
                var body = mutation.Apply(activity);
                var response = await PostAsync(body, activity["serviceUrl"] is JsonValue url && url.TryGetValue<string>(out var serviceUrl) ? serviceUrl : bot.Teams.ServiceUrl);
                var status = response.Status;
                var text = response.Text;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                sent++;
                if (Problem(status, response.ContentType, text, body) is { } problem)
                {
                    failures.Add($"#{sent} {name} [{string.Join("; ", mutation.Steps)}]: {problem}");
                }
            }
        }
        var summary = string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}×{p.Value}"));
        TestContext.Current.TestOutputHelper?.WriteLine($"{sent} activities in {clock.Elapsed.TotalSeconds:F1} s: {summary}");

        Assert.True(sent >= 2000, $"only {sent} activities were sent");
        Assert.True(failures.Count == 0,
            $"seed {seed} (replay with TRB_FUZZ_SEED={seed}): {failures.Count} of {sent} activities failed ({summary}):\n" + string.Join("\n", failures.Take(25)));
        // The mutations must leave enough activities intact to reach the handlers, not only the parser.
        var handled = statuses.Where(p => p.Key is >= 200 and < 300).Sum(p => p.Value);
        Assert.True(handled > sent / 7, $"only {handled} of {sent} activities reached the bot ({summary})");

        using var health = await bot.Client.GetAsync("/healthz", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var reply = await bot.AskAsync("whoami");
        Assert.Contains("You are a project lead", reply.Text, StringComparison.Ordinal);
    }

    /// <summary>What is wrong with a response, or null: no 5xx but 501 for unknown invokes, problem bodies without internals.</summary>
    private static string? Problem(int status, string? mediaType, string text, string body)
    {
        if (status >= 500 && !(status == 501 && IsUnhandledInvoke(body)))
        {
            return $"HTTP {status} {Excerpt(text)}";
        }
        if (mediaType == "application/problem+json")
        {
            if (text.Contains("   at ", StringComparison.Ordinal) || text.Contains("Exception", StringComparison.Ordinal))
            {
                return $"HTTP {status} problem shows internals: {Excerpt(text)}";
            }
            var problem = JsonNode.Parse(text);
            if (status == 400 && (problem?["detail"]?.GetValue<string>() is not { Length: > 0 } || problem["errors"] is not JsonObject { Count: > 0 }))
            {
                return $"HTTP 400 problem without a detail or the field's path: {Excerpt(text)}";
            }
        }
        else if (status == 400 && (mediaType != "application/json" || JsonNode.Parse(text)?["value"]?["code"]?.GetValue<string>() != "BadRequest"))
        {
            // A 400 that is not about the body is an invoke response: Bot Builder's error body.
            return $"HTTP 400 without an error body ({mediaType}): {Excerpt(text)}";
        }
        return null;
    }

    /// <summary>True when the body is an invoke (as the bot reads it: last property wins, names case-insensitive) with a name the bot does not handle.</summary>
    private static bool IsUnhandledInvoke(string body)
    {
        try
        {
            // The bot skips a byte order mark, as JSON readers may.
            using var document = JsonDocument.Parse(body.TrimStart('\uFEFF'), new JsonDocumentOptions { MaxDepth = 100_000 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }
            JsonElement? type = null, name = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (string.Equals(property.Name, "type", StringComparison.OrdinalIgnoreCase)) { type = property.Value; }
                if (string.Equals(property.Name, "name", StringComparison.OrdinalIgnoreCase)) { name = property.Value; }
            }
            return type is { ValueKind: JsonValueKind.String } t && t.GetString() == "invoke"
                && !(name is { ValueKind: JsonValueKind.String } n && HandledInvokes.Contains(n.GetString()!));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static string Excerpt(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private Task<TestResponse> PostAsync(string body, string serviceUrl)
    {
        if (!_tokens.TryGetValue(serviceUrl, out var token))
        {
            token = _tokens[serviceUrl] = bot.OpenId.CreateToken(TestBot.AppId, serviceUrl);
        }
        return bot.Bot.PostRawAsync(body, "Bearer " + token);
    }

    /// <summary>One well-formed activity of every kind the bot handles, as Teams sends it.</summary>
    private List<(string Name, JsonObject Activity)> Bases()
    {
        var list = new List<(string, JsonObject)>
        {
            ("message personal help", bot.Personal("help")),
            ("message personal status", bot.Personal("status pilot", locale: "nl-NL")),
            ("message personal wave pause", bot.Personal("wave pause winter")),
            ("message personal export", bot.Personal("export deliveries")),
            ("message personal member", bot.Personal("plan", MemberId)),
            ("message channel mention", bot.Channel("schedule main")),
            ("message channel chatter", bot.Channel("lunch?", mention: false)),
            ("message channel thread reply", ThreadMessage("message", "Enrollment worked after a restart")),
        };

        var submit = bot.Personal("");
        submit.Remove("text");
        submit["replyToId"] = "card-activity-1";
        submit["value"] = new JsonObject { ["verb"] = "survey.submit", ["surveyId"] = "pilot-survey", ["waveId"] = "pilot", ["departmentId"] = "small", ["rating"] = "4", ["success"] = "yes", ["platform"] = "windows", ["consent"] = "false" };
        list.Add(("message Action.Submit survey", submit));
        var run = submit.DeepClone().AsObject();
        run["value"] = new JsonObject { ["verb"] = "run", ["command"] = "status" };
        list.Add(("message Action.Submit run", run));

        var survey = new JsonObject { ["surveyId"] = "pilot-survey", ["waveId"] = "pilot", ["departmentId"] = "small", ["messageId"] = "prepare", ["rating"] = "4", ["success"] = "yes", ["platform"] = "windows", ["duration"] = "15to30", ["consent"] = "true", ["comment"] = "Fine" };
        foreach (var verb in new[] { "survey.submit", "survey.refresh", "survey.edit" })
        {
            list.Add(($"invoke adaptiveCard/action {verb}", bot.CardAction(verb, survey.DeepClone().AsObject(), channel: verb == "survey.refresh")));
        }
        list.Add(("invoke adaptiveCard/action run", bot.CardAction("run", new JsonObject { ["command"] = "status main" })));
        list.Add(("invoke adaptiveCard/action confirm", bot.CardAction("confirm", new JsonObject { ["confirmationId"] = "c-1" })));
        list.Add(("invoke adaptiveCard/action decline", bot.CardAction("decline", new JsonObject { ["confirmationId"] = "c-2" }, user: MemberId)));
        foreach (var verb in new[] { "status.refresh", "status.failures", "status.pause", "status.resume" })
        {
            list.Add(($"invoke adaptiveCard/action {verb}", bot.CardAction(verb, new JsonObject { ["waveId"] = "autumn" })));
        }
        list.Add(("invoke adaptiveCard/action unknown verb", bot.CardAction("nope.never", new JsonObject())));
        list.Add(("invoke fileConsent/invoke accept", bot.FileConsent("accept")));
        list.Add(("invoke fileConsent/invoke decline", bot.FileConsent("decline")));
        foreach (var name in new[] { "composeExtension/query", "task/fetch", "signin/verifyState" })
        {
            var invoke = bot.CardAction("run", new JsonObject());
            invoke["name"] = name;
            list.Add(($"invoke {name}", invoke));
        }

        list.Add(("conversationUpdate team install", TestActivities.TeamInstall(bot.Teams.ServiceUrl)));
        var removed = TestActivities.TeamInstall(bot.Teams.ServiceUrl);
        removed["membersRemoved"] = removed["membersAdded"]!.DeepClone();
        removed.Remove("membersAdded");
        removed["channelData"]!["eventType"] = "teamMemberRemoved";
        list.Add(("conversationUpdate team removal", removed));
        list.Add(("installationUpdate add", TestActivities.PersonalInstall(bot.Teams.ServiceUrl)));
        var uninstall = TestActivities.PersonalInstall(bot.Teams.ServiceUrl);
        uninstall["action"] = "remove";
        list.Add(("installationUpdate remove", uninstall));

        var reaction = ThreadMessage("messageReaction", null);
        reaction["replyToId"] = "1700000000002";
        reaction["reactionsAdded"] = new JsonArray(new JsonObject { ["type"] = "like" });
        reaction["reactionsRemoved"] = new JsonArray(new JsonObject { ["type"] = "heart" });
        list.Add(("messageReaction", reaction));
        list.Add(("messageUpdate", ThreadMessage("messageUpdate", "Enrollment worked after two restarts", "editMessage")));
        list.Add(("messageDelete", ThreadMessage("messageDelete", null, "softDeleteMessage")));
        return list;
    }

    /// <summary>A reply in the thread of the tracked post <see cref="TrackedRoot"/> (live thread replies).</summary>
    private JsonObject ThreadMessage(string type, string? text, string? eventType = null)
    {
        var activity = bot.Channel(text ?? "", MemberId, mention: false);
        activity["type"] = type;
        activity["conversation"]!["id"] = $"{TrackedChannel};messageid={TrackedRoot}";
        activity["timestamp"] = DateTimeOffset.UtcNow.ToString("O");
        activity["textFormat"] = "xml";
        if (text is null)
        {
            activity.Remove("text");
        }
        if (eventType is not null)
        {
            activity["channelData"]!["eventType"] = eventType;
        }
        return activity;
    }

    /// <summary>
    /// One to three random changes to an activity: a field removed, set to null or to another JSON type, nulls in
    /// arrays, deep nesting, huge or odd Unicode strings, duplicate keys, odd numbers; now and then a broken body.
    /// Changes JSON nodes cannot express (duplicate keys, lone surrogates, nesting past the writer's depth) are written
    /// as placeholders and replaced in the text.
    /// </summary>
    private sealed class Mutation(Random random)
    {
        private static readonly string[] Interesting =
        [
            "", " ", "message", "invoke", "conversationUpdate", "installationUpdate", "messageReaction", "messageUpdate", "messageDelete",
            "adaptiveCard/action", "fileConsent/invoke", "survey.submit", "survey.edit", "survey.refresh", "run", "confirm", "status.pause",
            "accept", "decline", "add", "remove", "personal", "channel", "groupChat", "msteams", "mention", "clientInfo", "editMessage",
            "softDeleteMessage", "<at>Rollout</at>", "help", "status", "wave start pilot", "send enroll to small now", "export feedback",
            "feedback setup-list", "19:x@thread.tacv2;messageid=", ";messageid=1", "28:" + TestBot.AppId, "29:user-1", "a:personal-1",
            "2026-01-01T00:00:00Z", "not-a-date", "9999-12-31T23:59:59.9999999+14:00", "http://127.0.0.1/", "https://evil.example/",
            "nl-NL", "en", "xx-YY-zz", "null", "{}", "[]", "\u0000", "🙂👍🏽", "\u202Eevil\u202C", "e\u0301", "日本語", "\uFEFFbom",
            "&nbsp;&amp;<b>x</b>", "'; DROP TABLE conversations; --",
        ];

        private static readonly string[] OddEscapes = ["\"\\ud800\"", "\"a\\udfffb\"", "\"\\u0000\""];
        private static readonly string[] OddNumbers = ["1e400", "-0", "123456789012345678901234567890", "0.1e-400", "-9223372036854775809"];
        private static readonly int[] Depths = [10, 31, 32, 33, 63, 64, 65, 100, 1_000, 20_000];
        private static readonly string[] Units = ["x", "é", "🙂", "<at>Rollout</at> "];

        private static readonly string[] TopLevel =
        [
            "type", "id", "timestamp", "localTimestamp", "serviceUrl", "channelId", "from", "recipient", "conversation", "text", "textFormat",
            "locale", "replyToId", "name", "value", "action", "membersAdded", "membersRemoved", "reactionsAdded", "reactionsRemoved",
            "entities", "attachments", "channelData", "summary",
        ];

        private readonly Dictionary<string, string> _raw = [];

        public List<string> Steps { get; } = [];

        public string Apply(JsonObject activity)
        {
            // Mostly one change, so that many activities still reach the handlers; now and then two or three.
            var count = random.Next(4) == 0 ? random.Next(2, 4) : 1;
            for (var i = 0; i < count; i++)
            {
                MutateOnce(activity);
            }
            var text = activity.ToJsonString();
            foreach (var (placeholder, raw) in _raw)
            {
                text = text.Replace("\"" + placeholder + "\"", raw, StringComparison.Ordinal);
            }
            return random.Next(40) == 0 ? BreakBody(text) : text;
        }

        private string BreakBody(string text)
        {
            var choice = random.Next(6);
            Steps.Add("broken body #" + choice);
            return choice switch
            {
                0 => text[..random.Next(text.Length)],
                1 => "[" + text + "]",
                2 => text + "{}",
                3 => "\uFEFF" + text,
                4 => text.Replace("\"", "'", StringComparison.Ordinal),
                _ => "null",
            };
        }

        private void MutateOnce(JsonObject activity)
        {
            // Half of the changes hit a top-level field (also one the activity does not have), half any node.
            JsonNode parent;
            object key;
            if (random.Next(2) == 0)
            {
                parent = activity;
                key = TopLevel[random.Next(TopLevel.Length)];
            }
            else
            {
                var nodes = new List<(JsonNode Parent, object Key)>();
                Collect(activity, nodes);
                (parent, key) = nodes[random.Next(nodes.Count)];
            }
            var path = PathOf(parent, key);
            var current = Get(parent, key);
            switch (random.Next(11))
            {
                case 0:
                    Remove(parent, key);
                    Steps.Add($"remove {path}");
                    break;
                case 1:
                    Set(parent, key, null);
                    Steps.Add($"null {path}");
                    break;
                case 2 or 3:
                    var wrong = WrongType();
                    Set(parent, key, wrong);
                    Steps.Add($"{path} = {Short(wrong)}");
                    break;
                case 4:
                    if (current is JsonArray array)
                    {
                        array.Insert(random.Next(array.Count + 1), null);
                        Steps.Add($"null into {path}");
                    }
                    else
                    {
                        Set(parent, key, current is null ? new JsonArray((JsonNode?)null) : new JsonArray(null, current.DeepClone(), null));
                        Steps.Add($"{path} = [null, …]");
                    }
                    break;
                case 5:
                    var depth = Depths[random.Next(Depths.Length)];
                    Set(parent, key, Placeholder(Nested(depth)));
                    Steps.Add($"{path} nested {depth} deep");
                    break;
                case 6:
                    var length = random.Next(1, 120) * 1024;
                    var unit = Units[random.Next(Units.Length)];
                    var huge = new StringBuilder(length).Insert(0, unit, length / Encoding.UTF8.GetByteCount(unit)).ToString();
                    Set(parent, key, huge);
                    Steps.Add($"{path} = {huge.Length}-char string");
                    break;
                case 7:
                    if (random.Next(3) == 0)
                    {
                        Set(parent, key, Placeholder(OddEscapes[random.Next(OddEscapes.Length)]));
                        Steps.Add($"{path} = lone surrogate / NUL escape");
                    }
                    else
                    {
                        var odd = Interesting[random.Next(Interesting.Length)];
                        Set(parent, key, odd);
                        Steps.Add($"{path} = \"{Short(JsonValue.Create(odd))}\"");
                    }
                    break;
                case 8:
                    if (parent is JsonObject owner && key is string name)
                    {
                        var placeholder = "__dup_" + _raw.Count + "__";
                        _raw[placeholder] = JsonSerializer.Serialize(name);
                        owner[placeholder] = random.Next(2) == 0 ? current?.DeepClone() : WrongType();
                        Steps.Add($"duplicate key {path}");
                    }
                    break;
                case 9:
                    Set(parent, key, Placeholder(OddNumbers[random.Next(OddNumbers.Length)]));
                    Steps.Add($"{path} = odd number");
                    break;
                default:
                    var kind = Interesting[random.Next(Interesting.Length)];
                    Set(parent, key, kind);
                    Steps.Add($"{path} = \"{Short(JsonValue.Create(kind))}\"");
                    break;
            }
        }

        private JsonNode? WrongType() => random.Next(9) switch
        {
            0 => random.Next(-5, 6),
            1 => JsonValue.Create(random.NextDouble() * 1e12),
            2 => JsonValue.Create(random.Next(2) == 0),
            3 => "x",
            4 => new JsonArray(),
            5 => new JsonArray(1, "x", null, new JsonObject()),
            6 => new JsonObject(),
            7 => new JsonObject { ["id"] = 5, ["type"] = new JsonArray(), ["x"] = null },
            _ => new JsonArray((JsonNode?)null),
        };

        private string Placeholder(string raw)
        {
            var placeholder = "__raw_" + _raw.Count + "__";
            _raw[placeholder] = raw;
            return placeholder;
        }

        private string Nested(int depth)
        {
            var open = random.Next(3) switch { 0 => "[", 1 => "{\"a\":", _ => "{\"value\":[" };
            var close = open switch { "[" => "]", "{\"a\":" => "}", _ => "]}" };
            var builder = new StringBuilder();
            for (var i = 0; i < depth; i++) { builder.Append(open); }
            builder.Append("null");
            for (var i = 0; i < depth; i++) { builder.Append(close); }
            return builder.ToString();
        }

        private static void Collect(JsonNode node, List<(JsonNode, object)> into)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (name, child) in o.ToList())
                    {
                        into.Add((o, name));
                        if (child is not null) { Collect(child, into); }
                    }
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        into.Add((a, i));
                        if (a[i] is { } child) { Collect(child, into); }
                    }
                    break;
            }
        }

        private static JsonNode? Get(JsonNode parent, object key) =>
            parent is JsonObject o ? o[(string)key] : parent.AsArray()[(int)key];

        private static void Set(JsonNode parent, object key, JsonNode? value)
        {
            if (parent is JsonObject o) { o[(string)key] = value; }
            else { parent.AsArray()[(int)key] = value; }
        }

        private static void Remove(JsonNode parent, object key)
        {
            if (parent is JsonObject o) { o.Remove((string)key); }
            else { parent.AsArray().RemoveAt((int)key); }
        }

        private static string PathOf(JsonNode parent, object key) =>
            parent.GetPath() + (key is int index ? $"[{index}]" : "." + key);

        private static string Short(JsonNode? node)
        {
            var text = node?.ToJsonString() ?? "null";
            return text.Length <= 40 ? text : text[..40] + "…";
        }
    }
}
