using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TeamsRolloutBot.Plan;

/// <summary>
/// Reads single plan values (maps, lists, ids, dates, times, offsets, links, texts per language) from YAML nodes and
/// records what is wrong as <see cref="PlanDiagnostic"/>s with file, line, column and field path. The section rules
/// and the card templates' parameter rules all report through one reader, so the findings of a file stay in one list.
/// </summary>
public sealed partial class PlanNodeReader(string file)
{
    /// <summary>The plan file the nodes come from, as it appears in diagnostics.</summary>
    public string File { get; } = file;

    /// <summary>Every finding so far, in the order found.</summary>
    public List<PlanDiagnostic> Diagnostics { get; } = [];

    /// <summary>The plan's languages once <c>languages:</c> is read (every supported language until then).</summary>
    public IReadOnlyList<string> Languages { get; internal set; } = PlanVocabulary.SupportedLanguages;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    internal static partial Regex IdPattern();

    [GeneratedRegex(@"^(-?[0-9]+)\s*([dw])$")]
    private static partial Regex OffsetPattern();

    [GeneratedRegex("^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    private static partial Regex TimePattern();

    public List<T> ReadList<T>(PlanFields parent, string key, Func<YamlNode, string, T?> read)
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

    public PlanFields? Map(YamlNode node, string path, string[]? allowed, string[] required)
    {
        if (node is not YamlMappingNode map)
        {
            Error(node, path, "expected a map of 'key: value' lines", "check the indentation, or compare with samples/intune-rollout.yaml");
            return null;
        }

        var fields = new PlanFields(map, path);
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

    public IList<YamlNode>? Sequence(YamlNode node, string path)
    {
        if (node is YamlSequenceNode seq)
        {
            return seq.Children;
        }

        Error(node, path, "expected a list", "write a list as [a, b] or as lines starting with '- '");
        return null;
    }

    public string? Scalar(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } value } && value.Length > 0)
        {
            return value;
        }

        Error(node, path, node is YamlScalarNode ? "the value is empty" : "expected a single value, not a list or map", "write one value after the ':'");
        return null;
    }

    public string? RequiredString(PlanFields fields, string key) => fields[key] is { } node ? Scalar(node, fields.Sub(key)) : null;

    public string? Id(PlanFields fields)
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

    public DateOnly? Date(YamlNode node, string path)
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

    public TimeOnly? TimeOfDay(YamlNode node, string path)
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

    public (int Days, string Text)? Offset(YamlNode node, string path)
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

    public string? Url(YamlNode node, string path)
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

    public string? GroupId(YamlNode node, string path)
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

    public List<string> UserList(YamlNode node, string path)
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

    public LocalizedText Same(string text) => new(Languages.ToDictionary(l => l, _ => text));

    public LocalizedText? Localized(YamlNode node, string path, bool allowPlain)
    {
        if (node is YamlScalarNode scalar)
        {
            if (!allowPlain)
            {
                Error(node, path, "one text for all languages", $"give a text per language: {{ {string.Join(", ", Languages.Select(l => l + ": ..."))} }}");
                return null;
            }

            if (string.IsNullOrWhiteSpace(scalar.Value))
            {
                Error(node, path, "the text is empty", "write the text");
                return null;
            }

            return new LocalizedText(Languages.ToDictionary(l => l, _ => scalar.Value!));
        }

        if (node is not YamlMappingNode map)
        {
            Error(node, path, "expected a text per language", $"write {{ {string.Join(", ", Languages.Select(l => l + ": ..."))} }}");
            return null;
        }

        var values = new Dictionary<string, string>();
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            if (!Languages.Contains(key) && valueNode is YamlScalarNode { Value: null or "" } && map.Style == YamlDotNet.Core.Events.MappingStyle.Flow)
            {
                Error(keyNode, path, $"'{key}' looks like the rest of a text cut off at a comma", "put the text in quotes, e.g. en: \"HR, Finance and Executives\"");
                continue;
            }

            if (!Languages.Contains(key))
            {
                var supported = PlanVocabulary.SupportedLanguages.Contains(key);
                Error(keyNode, $"{path}.{key}", supported ? $"text in '{key}', which is not in the plan's languages ({Join(Languages)})" : $"'{key}' is not a language of this plan ({Join(Languages)})",
                    supported ? $"add {key} to languages, or remove this text" : $"{Suggest.DidYouMean(key, Languages)}key each text by a language code: {Join(Languages)}");
                continue;
            }

            if (valueNode is not YamlScalarNode { Value: { } text } || string.IsNullOrWhiteSpace(text))
            {
                Error(valueNode, $"{path}.{key}", $"the {key} text is empty or not a text", "write the text (quote it if it contains ': ' or starts with a special character)");
                continue;
            }

            values[key] = text;
        }

        foreach (var language in Languages.Where(l => !map.Children.Keys.Any(k => ((YamlScalarNode)k).Value == l)))
        {
            Error(node, path, $"no '{language}' text (the plan's languages are {Join(Languages)})", $"add {language}: <text> to this map");
        }

        return values.Count == Languages.Count ? new LocalizedText(values) : null;
    }

    public static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Join(IEnumerable<string> values) => string.Join(", ", values);

    public static SourceLocation Loc(YamlNode node) => new((int)node.Start.Line, (int)node.Start.Column);

    public void Error(YamlNode node, string path, string message, string? fix) => Error(Loc(node), path, message, fix);

    public void Error(Mark mark, string path, string message, string? fix) => Error(new SourceLocation((int)mark.Line, (int)mark.Column), path, message, fix);

    public void Error(SourceLocation at, string path, string message, string? fix) =>
        Diagnostics.Add(new PlanDiagnostic(PlanSeverity.Error, File, at.Line, at.Column, path, message, fix));

    public void Warning(SourceLocation at, string path, string message, string? fix) =>
        Diagnostics.Add(new PlanDiagnostic(PlanSeverity.Warning, File, at.Line, at.Column, path, message, fix));

    public static SourceLocation KeyLoc(YamlMappingNode map, string key) =>
        Loc(map.Children.Keys.First(k => ((YamlScalarNode)k).Value == key));
}
