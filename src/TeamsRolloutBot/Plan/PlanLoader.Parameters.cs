using System.Globalization;
using System.Text.Json.Nodes;
using TeamsRolloutBot.Cards;
using YamlDotNet.RepresentationModel;

namespace TeamsRolloutBot.Plan;

/// <content>What each card template shows of a message's parameters and texts (docs/cards.md), and the checks on them.</content>
public static partial class PlanLoader
{
    /// <summary>The parameters each plan template shows; any other parameter is a warning naming it.</summary>
    internal static IReadOnlyDictionary<string, string[]> TemplateParameters { get; } = new Dictionary<string, string[]>
    {
        [CardTemplateIds.Introduction] = ["why", "timeline", "meeting", "resources"],
        [CardTemplateIds.PreEnrollment] = ["intro", "prepare", "resources"],
        [CardTemplateIds.Enrollment] = ["intro", "platforms", "resources"],
        [CardTemplateIds.Survey] = ["survey", "resources"],
        [CardTemplateIds.Reminder] = ["text", "deadline", "link", "platforms", "resources"],
    };

    /// <summary>
    /// The message <c>texts:</c> every plan template uses (<c>title</c> on the card, <c>subject</c> as the subject of the
    /// message's e-mail); any other text is a warning naming it.
    /// </summary>
    internal static IReadOnlyList<string> MessageTexts { get; } = ["title", "subject"];

    private static readonly string[] PlatformFields = ["id", "steps", "companyPortalUrl", "guideUrl"];

    private sealed partial class Reader
    {
        // ---- message parameters ----------------------------------------------------------------------------------

        private JsonObject? Parameters(YamlNode node, string path, string? template)
        {
            if (Map(node, path, null, []) is not { } fields)
            {
                return null;
            }

            var result = new JsonObject();
            foreach (var (key, value) in fields.Values)
            {
                result[key] = YamlJson.ToJson(value);
                if (template is null)
                {
                    continue; // the unknown template is reported already; its parameters mean nothing
                }

                var known = TemplateParameters[template];
                var sub = fields.Sub(key);
                if (!known.Contains(key))
                {
                    Warning(KeyLoc(fields.Node, key), sub, $"the '{template}' card does not use parameter '{key}'",
                        $"{Suggest.DidYouMean(key, known)}the '{template}' card reads {Join(known)}");
                    continue;
                }

                switch (key)
                {
                    case "why" or "intro" or "text":
                        Localized(value, sub, allowPlain: true);
                        break;
                    case "prepare":
                        TextList(value, sub);
                        break;
                    case "resources":
                        CheckResources(value, sub, template);
                        break;
                    case "platforms":
                        CheckPlatforms(value, sub, template);
                        break;
                    case "meeting":
                        CheckMeeting(value, sub, template);
                        break;
                    case "timeline":
                        CheckTimeline(value, sub, template);
                        break;
                    case "deadline":
                        Date(value, sub);
                        break;
                    case "link":
                        CheckLink(value, sub, template);
                        break;
                    case "survey":
                        if (Scalar(value, sub) is { } survey && !IdPattern().IsMatch(survey))
                        {
                            Error(value, sub, $"'{survey}' is not a survey id", "use lowercase letters, digits and '-', e.g. intune-enrollment");
                        }

                        break;
                }
            }

            return result;
        }

        /// <summary>
        /// A map inside a parameter: a field the card does not show is a warning naming it and the template (and is
        /// left out of the checks), a missing required field an error.
        /// </summary>
        private Fields? CardFields(YamlNode node, string path, string template, string[] known, string[] required)
        {
            if (Map(node, path, null, []) is not { } fields)
            {
                return null;
            }

            foreach (var key in fields.Values.Keys.Where(k => !known.Contains(k)).ToList())
            {
                Warning(KeyLoc(fields.Node, key), fields.Sub(key), $"the '{template}' card does not use '{key}' here",
                    $"{Suggest.DidYouMean(key, known)}it reads {Join(known)}");
                fields.Values.Remove(key);
            }

            foreach (var key in required.Where(k => !fields.Has(k)))
            {
                Error(node, fields.Sub(key), $"missing required field '{key}'", $"add {key}: to this entry");
            }

            return fields;
        }

        private void TextList(YamlNode node, string path)
        {
            if (Sequence(node, path) is not { } items)
            {
                return;
            }

            for (var i = 0; i < items.Count; i++)
            {
                Localized(items[i], $"{path}[{i}]", allowPlain: true);
            }
        }

        private void CheckResources(YamlNode node, string path, string template)
        {
            if (Sequence(node, path) is not { } items)
            {
                return;
            }

            for (var i = 0; i < items.Count; i++)
            {
                if (CardFields(items[i], $"{path}[{i}]", template, ["title", "url"], ["url"]) is { } fields)
                {
                    CheckLink(fields);
                }
            }
        }

        private void CheckLink(YamlNode node, string path, string template)
        {
            if (CardFields(node, path, template, ["title", "url"], ["url"]) is { } fields)
            {
                CheckLink(fields);
            }
        }

        private void CheckLink(Fields fields)
        {
            if (fields["title"] is { } title)
            {
                Localized(title, fields.Sub("title"), allowPlain: true);
            }

            if (fields["url"] is { } url)
            {
                Url(url, fields.Sub("url"));
            }
        }

        private void CheckMeeting(YamlNode node, string path, string template)
        {
            if (CardFields(node, path, template, ["date", "url", "location"], ["date"]) is not { } fields)
            {
                return;
            }

            if (fields["date"] is { } date && Scalar(date, fields.Sub("date")) is { } text
                && !DateTime.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                Error(date, fields.Sub("date"), $"'{text}' is not a local date and time", "write e.g. 2027-07-08T10:00 (local time in the plan's time zone)");
            }

            if (fields["url"] is { } url)
            {
                Url(url, fields.Sub("url"));
            }

            if (fields["location"] is { } location)
            {
                Localized(location, fields.Sub("location"), allowPlain: true);
            }
        }

        private void CheckTimeline(YamlNode node, string path, string template)
        {
            if (Sequence(node, path) is not { } items)
            {
                return;
            }

            for (var i = 0; i < items.Count; i++)
            {
                if (CardFields(items[i], $"{path}[{i}]", template, ["month", "departments"], ["month", "departments"]) is { } fields)
                {
                    foreach (var (key, value) in fields.Values)
                    {
                        Localized(value, fields.Sub(key), allowPlain: true);
                    }
                }
            }
        }

        /// <summary>
        /// <c>platforms:</c> is a list; an entry is a platform id (the built-in steps and links) or
        /// <c>{ id, steps?, companyPortalUrl?, guideUrl? }</c> with the platform's own instructions.
        /// </summary>
        private void CheckPlatforms(YamlNode node, string path, string template)
        {
            if (node is YamlMappingNode)
            {
                Error(node, path, "platforms is a list of platforms, not a map",
                    "write platforms: [windows, ios]; give a platform its own instructions as an entry { id: windows, steps: { nl: [...], en: [...] }, guideUrl: https://... }");
                return;
            }

            if (Sequence(node, path) is not { } items)
            {
                return;
            }

            if (items.Count == 0)
            {
                Error(node, path, "no platforms listed", $"list at least one of {Join(PlanVocabulary.Platforms)}");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < items.Count; i++)
            {
                var itemPath = $"{path}[{i}]";
                var idNode = items[i];
                var idPath = itemPath;
                if (items[i] is YamlMappingNode)
                {
                    if (CardFields(items[i], itemPath, template, PlatformFields, ["id"]) is not { } fields)
                    {
                        continue;
                    }

                    if (fields["steps"] is { } steps)
                    {
                        CheckSteps(steps, fields.Sub("steps"));
                    }

                    foreach (var link in new[] { "companyPortalUrl", "guideUrl" })
                    {
                        if (fields[link] is { } url)
                        {
                            Url(url, fields.Sub(link));
                        }
                    }

                    if (fields["id"] is not { } id)
                    {
                        continue;
                    }

                    (idNode, idPath) = (id, fields.Sub("id"));
                }

                if (Scalar(idNode, idPath) is not { } name)
                {
                    continue;
                }

                if (!PlanVocabulary.Platforms.Contains(name))
                {
                    Error(idNode, idPath, $"unknown platform '{name}'", $"{Suggest.DidYouMean(name, PlanVocabulary.Platforms)}use {Join(PlanVocabulary.Platforms)}");
                }
                else if (!seen.Add(name))
                {
                    Error(idNode, idPath, $"platform '{name}' is listed twice", "list each platform once");
                }
            }
        }

        /// <summary>Steps are a list of texts per language (<c>{ nl: [...], en: [...] }</c>), or one list for every language.</summary>
        private void CheckSteps(YamlNode node, string path)
        {
            switch (node)
            {
                case YamlSequenceNode:
                    StepList(node, path);
                    break;
                case YamlMappingNode map:
                    foreach (var (keyNode, value) in map.Children)
                    {
                        var key = ((YamlScalarNode)keyNode).Value ?? "";
                        if (!languages.Contains(key))
                        {
                            Error(keyNode, $"{path}.{key}", $"'{key}' is not a language of this plan ({Join(languages)})",
                                $"{Suggest.DidYouMean(key, languages)}key the steps by language: {{ {string.Join(", ", languages.Select(l => l + ": [...]"))} }}");
                            continue;
                        }

                        StepList(value, $"{path}.{key}");
                    }

                    foreach (var language in languages.Where(l => !map.Children.Keys.Any(k => ((YamlScalarNode)k).Value == l)))
                    {
                        Error(node, path, $"no '{language}' steps (the plan's languages are {Join(languages)})", $"add {language}: [<step>, ...] to this map");
                    }

                    break;
                default:
                    Error(node, path, "expected a list of steps, or a list per language", $"write steps: {{ {string.Join(", ", languages.Select(l => l + ": [...]"))} }}");
                    break;
            }
        }

        private void StepList(YamlNode node, string path)
        {
            if (Sequence(node, path) is not { } items)
            {
                return;
            }

            if (items.Count == 0)
            {
                Error(node, path, "no steps", "write at least one step, or leave steps out for the built-in ones");
            }

            for (var i = 0; i < items.Count; i++)
            {
                Scalar(items[i], $"{path}[{i}]");
            }
        }

        private static SourceLocation KeyLoc(YamlMappingNode map, string key) =>
            Loc(map.Children.Keys.First(k => ((YamlScalarNode)k).Value == key));
    }
}
