using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TeamsRolloutBot.Plan;

/// <content>Readers for single values (maps, lists, ids, dates, times, offsets, links) that report what is wrong.</content>
public static partial class PlanLoader
{
    private sealed partial class Reader
    {
        // ---- small readers ---------------------------------------------------------------------------------------

        private List<T> ReadList<T>(Fields parent, string key, Func<YamlNode, string, T?> read)
            where T : class
        {
            var result = new List<T>();
            if (parent[key] is not { } node || Sequence(node, parent.Sub(key)) is not { } items)
            {
                return result;
            }

            if (items.Count == 0 && key is "departments" or "waves")
            {
                Error(node, parent.Sub(key), $"no {key}", $"add at least one entry to {key}:");
            }

            for (var i = 0; i < items.Count; i++)
            {
                if (read(items[i], $"{parent.Sub(key)}[{i}]") is { } item)
                {
                    result.Add(item);
                }
            }

            return result;
        }

        private Fields? Map(YamlNode node, string path, string[]? allowed, string[] required)
        {
            if (node is not YamlMappingNode map)
            {
                Error(node, path, "expected a map of 'key: value' lines", "check the indentation, or compare with samples/intune-rollout.yaml");
                return null;
            }

            var fields = new Fields(map, path);
            foreach (var (keyNode, value) in map.Children)
            {
                if (keyNode is not YamlScalarNode { Value: { } key })
                {
                    Error(keyNode, path, "a key must be a plain name", "write key: value");
                    continue;
                }

                if (allowed is not null && !allowed.Contains(key))
                {
                    Error(keyNode, fields.Sub(key), $"unknown field '{key}'", $"{Suggest.DidYouMean(key, allowed)}allowed here: {Join(allowed)}");
                    continue;
                }

                fields.Values[key] = value;
            }

            foreach (var key in required.Where(k => !fields.Has(k) && !map.Children.Keys.Any(n => Suggest.Closest(((YamlScalarNode)n).Value ?? "", [k]) is not null && !(allowed ?? []).Contains(((YamlScalarNode)n).Value))))
            {
                Error(node, fields.Sub(key), $"missing required field '{key}'", $"add {key}: to this entry");
            }

            return fields;
        }

        private IList<YamlNode>? Sequence(YamlNode node, string path)
        {
            if (node is YamlSequenceNode seq)
            {
                return seq.Children;
            }

            Error(node, path, "expected a list", "write a list as [a, b] or as lines starting with '- '");
            return null;
        }

        private string? Scalar(YamlNode node, string path)
        {
            if (node is YamlScalarNode { Value: { } value } && value.Length > 0)
            {
                return value;
            }

            Error(node, path, node is YamlScalarNode ? "the value is empty" : "expected a single value, not a list or map", "write one value after the ':'");
            return null;
        }

        private string? RequiredString(Fields fields, string key) => fields[key] is { } node ? Scalar(node, fields.Sub(key)) : null;

        private string? Id(Fields fields)
        {
            if (fields["id"] is not { } node || Scalar(node, fields.Sub("id")) is not { } id)
            {
                return null;
            }

            if (!IdPattern().IsMatch(id))
            {
                Error(node, fields.Sub("id"), $"'{id}' is not a valid id", "use lowercase letters, digits and '-' (ids end up in delivery records; do not rename them once a wave runs)");
                return null;
            }

            return id;
        }

        private DateOnly? Date(YamlNode node, string path)
        {
            if (Scalar(node, path) is not { } text)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            Error(node, path, $"'{text}' is not a date", "write the date as YYYY-MM-DD, e.g. 2027-07-05");
            return null;
        }

        private TimeOnly? TimeOfDay(YamlNode node, string path)
        {
            if (Scalar(node, path) is not { } text)
            {
                return null;
            }

            if (TimePattern().IsMatch(text))
            {
                return TimeOnly.ParseExact(text, "HH:mm", CultureInfo.InvariantCulture);
            }

            Error(node, path, $"'{text}' is not a time of day", "write a 24-hour local time in quotes, e.g. time: \"09:30\"");
            return null;
        }

        private (int Days, string Text)? Offset(YamlNode node, string path)
        {
            if (Scalar(node, path) is not { } text)
            {
                return null;
            }

            var match = OffsetPattern().Match(text.Trim());
            if (match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count) && Math.Abs(count) <= 3650)
            {
                return (match.Groups[2].Value == "w" ? count * 7 : count, text);
            }

            Error(node, path, $"'{text}' is not a number of days or weeks", "write e.g. 0d, 3d or 2w (days or weeks from the wave start)");
            return null;
        }

        private string? Url(YamlNode node, string path)
        {
            if (Scalar(node, path) is not { } text)
            {
                return null;
            }

            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            {
                return text;
            }

            Error(node, path, $"'{text}' is not a web address", "write a full link starting with https://");
            return null;
        }

        private string? GroupId(YamlNode node, string path)
        {
            if (Scalar(node, path) is not { } text)
            {
                return null;
            }

            if (Guid.TryParse(text, out _))
            {
                return text;
            }

            Error(node, path, $"'{text}' is not an Entra group id", "use the group's object id (a GUID) from the Entra admin center");
            return null;
        }

        private List<string> UserList(YamlNode node, string path)
        {
            var users = new List<string>();
            if (Sequence(node, path) is not { } items)
            {
                return users;
            }

            foreach (var item in items)
            {
                if (Scalar(item, path) is not { } user)
                {
                    continue;
                }

                if (!Guid.TryParse(user, out _) && !(user.Contains('@', StringComparison.Ordinal) && !user.Contains(' ', StringComparison.Ordinal)))
                {
                    Error(item, path, $"'{user}' is not an Entra object id or UPN", "use the user's object id (a GUID) or sign-in name (name@contoso.com)");
                    continue;
                }

                users.Add(user);
            }

            return users;
        }

        private LocalizedText Same(string text) => new(languages.ToDictionary(l => l, _ => text));

        private static string Fingerprint(MessagePhase phase, string template, JsonObject parameters, Dictionary<string, LocalizedText> texts, bool collectReplies)
        {
            var content = new JsonObject
            {
                ["phase"] = phase.ToString(),
                ["template"] = template,
                ["parameters"] = parameters.DeepClone(),
                ["texts"] = new JsonObject(texts.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)new JsonObject(t.Value.Values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value)))))),
                ["collectReplies"] = collectReplies,
            };
            var canonical = Canonical(content)?.ToJsonString() ?? "";
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16];
        }

        private static JsonNode? Canonical(JsonNode? node) => node switch
        {
            JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
            JsonArray array => new JsonArray([.. array.Select(Canonical)]),
            null => null,
            _ => JsonNode.Parse(node.ToJsonString(JsonSerializerOptions.Default)),
        };

        private static string Audience(MessageAudience audience) => audience.ToString().ToLowerInvariant();

        private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        private static string Join(IEnumerable<string> values) => string.Join(", ", values);

        private static SourceLocation Loc(YamlNode node) => new((int)node.Start.Line, (int)node.Start.Column);

        private void Error(YamlNode node, string path, string message, string? fix) => Error(Loc(node), path, message, fix);

        private void Error(Mark mark, string path, string message, string? fix) => Error(new SourceLocation((int)mark.Line, (int)mark.Column), path, message, fix);

        private void Error(SourceLocation at, string path, string message, string? fix) =>
            Diagnostics.Add(new PlanDiagnostic(PlanSeverity.Error, file, at.Line, at.Column, path, message, fix));

        private void Warning(SourceLocation at, string path, string message, string? fix) =>
            Diagnostics.Add(new PlanDiagnostic(PlanSeverity.Warning, file, at.Line, at.Column, path, message, fix));
    }
}
