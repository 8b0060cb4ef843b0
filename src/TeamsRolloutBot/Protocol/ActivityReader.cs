using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace TeamsRolloutBot.Protocol;

/// <summary>
/// The one place an inbound body becomes an <see cref="Activity"/>. It either refuses the body with the JSON path of
/// what is wrong — bad syntax, nesting deeper than <see cref="MaxDepth"/>, a name twice in one object, a string that
/// is not valid Unicode, a mapped field of the wrong JSON type, an id or name over <see cref="MaxIdLength"/>, a
/// required field missing — or hands on an activity the handlers can read without further checks: <c>null</c> is the
/// same as an absent field, and <c>null</c> elements of arrays are dropped (they carry nothing, and Teams omits what it
/// has not got).
/// </summary>
public static partial class ActivityReader
{
    /// <summary>Containers nested deeper than this are refused (System.Text.Json's default depth).</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// Ids and names longer than this are refused. Teams' are far shorter; these are stored (conversation references,
    /// survey respondents) and put into cards (refresh lists), so one oversized value would break cards for others.
    /// Azure Table keys have the same 1 KiB limit.
    /// </summary>
    public const int MaxIdLength = 1024;

    private const int MaxNameInPath = 40;
    private static readonly string[] Required = ["required"];

    /// <summary>The activity, or a problem: a sentence and the offending JSON paths (<c>$.entities[0]</c>) with what is wrong there.</summary>
    public static ActivityReadResult Read(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith(Encoding.UTF8.Preamble))
        {
            body = body[Encoding.UTF8.Preamble.Length..];
        }
        if (body.IsEmpty)
        {
            return ActivityReadResult.Refused("$", "The body is empty: send one JSON activity.");
        }
        if (Scan(body) is { } scanned)
        {
            return scanned;
        }

        Activity? activity;
        try
        {
            activity = JsonSerializer.Deserialize(body, ProtocolJsonContext.Default.Activity);
        }
        catch (JsonException ex)
        {
            // The scan passed, so the JSON is well-formed: a mapped field has the wrong type or format.
            var path = string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path;
            var expected = ExpectedAt(path);
            return ActivityReadResult.Refused(path, expected is null
                ? $"The field {path} has the wrong JSON type or format."
                : $"The field {path} must be {expected}.");
        }
        if (activity is null)
        {
            return ActivityReadResult.Refused("$", "The body must be a JSON object (an activity), not null.");
        }
        Normalise(activity);
        if (Identifiers(activity).FirstOrDefault(f => f.Value is { Length: > MaxIdLength }) is { Path: { } tooLong })
        {
            return ActivityReadResult.Refused(tooLong, $"The field {tooLong} is longer than {MaxIdLength} characters.");
        }

        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(activity.Type)) { missing.Add("type"); }
        if (string.IsNullOrWhiteSpace(activity.ChannelId)) { missing.Add("channelId"); }
        if (string.IsNullOrWhiteSpace(activity.ServiceUrl)) { missing.Add("serviceUrl"); }
        if (string.IsNullOrWhiteSpace(activity.Conversation?.Id)) { missing.Add("conversation.id"); }
        return missing.Count > 0
            ? new ActivityReadResult(null, $"Required field(s) missing: {string.Join(", ", missing)}.",
                missing.ToDictionary(m => "$." + m, _ => Required))
            : new ActivityReadResult(activity, null, null);
    }

    /// <summary>
    /// What the typed reader cannot tell apart or does not check, in one pass over the tokens: syntax, depth, duplicate
    /// names (the typed reader would keep the last silently) and strings that cannot be decoded (lone surrogates).
    /// </summary>
    private static ActivityReadResult? Scan(ReadOnlySpan<byte> body)
    {
        // One more than ours, so the reader's own depth error never comes first.
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth + 1 });
        var stack = new List<Frame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        NextElement(stack);
                        if (reader.CurrentDepth >= MaxDepth)
                        {
                            var field = PathOf(stack, limit: 4);
                            return ActivityReadResult.Refused(field, $"The field {field} nests deeper than {MaxDepth} levels.");
                        }
                        stack.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        stack.RemoveAt(stack.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var frame = stack[^1];
                        frame.Property = null; // a name that cannot be decoded is reported at its object, not at the previous field
                        var name = reader.GetString()!;
                        frame.Property = name;
                        if (!frame.Names!.Add(name))
                        {
                            var duplicate = PathOf(stack);
                            return ActivityReadResult.Refused(duplicate, $"The field {duplicate} appears more than once in its object.");
                        }
                        break;
                    case JsonTokenType.String:
                        NextElement(stack);
                        _ = reader.GetString();
                        break;
                    default:
                        NextElement(stack);
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            var path = PathOf(stack);
            return ActivityReadResult.Refused(path,
                $"The body is not valid JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}{(path == "$" ? "" : $" (field {path})")}.");
        }
        catch (InvalidOperationException)
        {
            // GetString refuses escapes that are not valid UTF-16 (a lone surrogate) and bytes that are not UTF-8.
            var path = PathOf(stack);
            return ActivityReadResult.Refused(path, $"The field {path} is not valid Unicode text.");
        }
        return null;
    }

    private static void NextElement(List<Frame> stack)
    {
        if (stack.Count > 0 && stack[^1].IsArray)
        {
            stack[^1].Index++;
        }
    }

    /// <summary>The JSON path of the current token, in System.Text.Json's notation; long names and deep paths are cut.</summary>
    private static string PathOf(List<Frame> stack, int limit = int.MaxValue)
    {
        var path = new StringBuilder("$");
        foreach (var frame in stack.Take(limit))
        {
            if (frame.IsArray && frame.Index >= 0)
            {
                path.Append('[').Append(frame.Index).Append(']');
            }
            else if (!frame.IsArray && frame.Property is { } name)
            {
                var shown = name.Length <= MaxNameInPath ? name : name[..MaxNameInPath] + "…";
                path.Append(SimpleName().IsMatch(shown) ? "." + shown : $"['{shown.Replace("'", "\\'", StringComparison.Ordinal)}']");
            }
        }
        return path.ToString();
    }

    /// <summary>What the activity model expects at a path System.Text.Json reported, e.g. "an object"; null when unknown.</summary>
    private static string? ExpectedAt(string path)
    {
        JsonTypeInfo info = ProtocolJsonContext.Default.Activity;
        foreach (Match segment in PathSegment().Matches(path))
        {
            Type? next = null;
            if (segment.Groups["index"].Success)
            {
                next = info.ElementType;
            }
            else
            {
                var name = segment.Groups["name"].Success ? segment.Groups["name"].Value : segment.Groups["quoted"].Value;
                next = info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.PropertyType;
            }
            if (next is null || ProtocolJsonContext.Default.GetTypeInfo(next) is not { } nextInfo)
            {
                return null;
            }
            info = nextInfo;
        }
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        return info.Kind switch
        {
            JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "an object",
            JsonTypeInfoKind.Enumerable => "an array",
            _ when type == typeof(string) => "a string",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(DateTimeOffset) => "a date and time in ISO 8601 (2026-11-26T10:00:00Z)",
            _ => null,
        };
    }

    /// <summary>The mapped ids and names the bot stores or puts into cards, with their JSON paths.</summary>
    private static IEnumerable<(string Path, string? Value)> Identifiers(Activity a)
    {
        yield return ("$.type", a.Type);
        yield return ("$.id", a.Id);
        yield return ("$.channelId", a.ChannelId);
        yield return ("$.serviceUrl", a.ServiceUrl);
        yield return ("$.locale", a.Locale);
        yield return ("$.replyToId", a.ReplyToId);
        yield return ("$.name", a.Name);
        yield return ("$.action", a.Action);
        foreach (var (path, account) in new[] { ("$.from", a.From), ("$.recipient", a.Recipient) })
        {
            yield return (path + ".id", account?.Id);
            yield return (path + ".name", account?.Name);
            yield return (path + ".aadObjectId", account?.AadObjectId);
            yield return (path + ".role", account?.Role);
        }
        yield return ("$.conversation.id", a.Conversation?.Id);
        yield return ("$.conversation.name", a.Conversation?.Name);
        yield return ("$.conversation.conversationType", a.Conversation?.ConversationType);
        yield return ("$.conversation.tenantId", a.Conversation?.TenantId);
        yield return ("$.channelData.tenant.id", a.ChannelData?.Tenant?.Id);
        yield return ("$.channelData.team.id", a.ChannelData?.Team?.Id);
        yield return ("$.channelData.team.name", a.ChannelData?.Team?.Name);
        yield return ("$.channelData.team.aadGroupId", a.ChannelData?.Team?.AadGroupId);
        yield return ("$.channelData.channel.id", a.ChannelData?.Channel?.Id);
        yield return ("$.channelData.channel.name", a.ChannelData?.Channel?.Name);
        yield return ("$.channelData.eventType", a.ChannelData?.EventType);
    }

    /// <summary>Absent and <c>null</c> mean the same to the handlers: drop null elements and a null value.</summary>
    private static void Normalise(Activity activity)
    {
        activity.MembersAdded?.RemoveAll(static m => m is null);
        activity.MembersRemoved?.RemoveAll(static m => m is null);
        activity.ReactionsAdded?.RemoveAll(static r => r is null);
        activity.ReactionsRemoved?.RemoveAll(static r => r is null);
        activity.Entities?.RemoveAll(static e => e is null);
        activity.Attachments?.RemoveAll(static a => a is null);
        if (activity.Value is { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined })
        {
            activity.Value = null;
        }
    }

    [GeneratedRegex(@"^[A-Za-z_$][A-Za-z0-9_$@\-]*$")]
    private static partial Regex SimpleName();

    [GeneratedRegex(@"\.(?<name>[^.\[\]']+)|\['(?<quoted>(?:[^'\\]|\\.)*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();

    /// <summary>One open object or array of the scan: where in it the reader is, and the names seen (objects).</summary>
    private sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;
        public int Index { get; set; } = -1;
        public string? Property { get; set; }
        public HashSet<string>? Names { get; } = isArray ? null : new(StringComparer.Ordinal);
    }
}
