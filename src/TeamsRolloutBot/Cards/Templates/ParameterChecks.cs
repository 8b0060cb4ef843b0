using System.Globalization;
using TeamsRolloutBot.Plan;
using YamlDotNet.RepresentationModel;
using static TeamsRolloutBot.Plan.PlanNodeReader;

namespace TeamsRolloutBot.Cards.Templates;

/// <summary>
/// The checks card templates share for their parameters (texts, links, resources, meeting, timeline, platforms),
/// reporting through the plan's <see cref="PlanNodeReader"/> so a plan that validates renders.
/// </summary>
internal sealed class ParameterChecks(PlanNodeReader r)
{
    private static readonly string[] PlatformFields = ["id", "steps", "companyPortalUrl", "guideUrl"];

    /// <summary>A text for every language, or one text for all.</summary>
    public void Text(YamlNode node, string path) => r.Localized(node, path, allowPlain: true);

    /// <summary>A date written YYYY-MM-DD.</summary>
    public void Deadline(YamlNode node, string path) => r.Date(node, path);

    /// <summary>A survey id: lowercase letters, digits and '-'.</summary>
    public void SurveyId(YamlNode node, string path)
    {
        if (r.Scalar(node, path) is { } survey && !PlanNodeReader.IdPattern().IsMatch(survey))
        {
            r.Error(node, path, $"'{survey}' is not a survey id", "use lowercase letters, digits and '-', e.g. intune-enrollment");
        }
    }

    /// <summary>
    /// A map inside a parameter: a field the card does not show is a warning naming it and the template (and is
    /// left out of the checks), a missing required field an error.
    /// </summary>
    private PlanFields? CardFields(YamlNode node, string path, string template, string[] known, string[] required)
    {
        if (r.Map(node, path, null, []) is not { } fields)
        {
            return null;
        }

        foreach (var key in fields.Values.Keys.Where(k => !known.Contains(k)).ToList())
        {
            r.Warning(KeyLoc(fields.Node, key), fields.Sub(key), $"the '{template}' card does not use '{key}' here",
                $"{Suggest.DidYouMean(key, known)}it reads {Join(known)}");
            fields.Values.Remove(key);
        }

        foreach (var key in required.Where(k => !fields.Has(k)))
        {
            r.Error(node, fields.Sub(key), $"missing required field '{key}'", $"add {key}: to this entry");
        }

        return fields;
    }

    public void TextList(YamlNode node, string path)
    {
        if (r.Sequence(node, path) is not { } items)
        {
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            r.Localized(items[i], $"{path}[{i}]", allowPlain: true);
        }
    }

    public void CheckResources(YamlNode node, string path, string template)
    {
        if (r.Sequence(node, path) is not { } items)
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

    public void CheckLink(YamlNode node, string path, string template)
    {
        if (CardFields(node, path, template, ["title", "url"], ["url"]) is { } fields)
        {
            CheckLink(fields);
        }
    }

    public void CheckLink(PlanFields fields)
    {
        if (fields["title"] is { } title)
        {
            r.Localized(title, fields.Sub("title"), allowPlain: true);
        }

        if (fields["url"] is { } url)
        {
            r.Url(url, fields.Sub("url"));
        }
    }

    public void CheckMeeting(YamlNode node, string path, string template)
    {
        if (CardFields(node, path, template, ["date", "url", "location"], ["date"]) is not { } fields)
        {
            return;
        }

        if (fields["date"] is { } date && r.Scalar(date, fields.Sub("date")) is { } text
            && !DateTime.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            r.Error(date, fields.Sub("date"), $"'{text}' is not a local date and time", "write e.g. 2027-07-08T10:00 (local time in the plan's time zone)");
        }

        if (fields["url"] is { } url)
        {
            r.Url(url, fields.Sub("url"));
        }

        if (fields["location"] is { } location)
        {
            r.Localized(location, fields.Sub("location"), allowPlain: true);
        }
    }

    public void CheckTimeline(YamlNode node, string path, string template)
    {
        if (r.Sequence(node, path) is not { } items)
        {
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (CardFields(items[i], $"{path}[{i}]", template, ["month", "departments"], ["month", "departments"]) is { } fields)
            {
                foreach (var (key, value) in fields.Values)
                {
                    r.Localized(value, fields.Sub(key), allowPlain: true);
                }
            }
        }
    }

    /// <summary>
    /// <c>platforms:</c> is a list; an entry is a platform id (the built-in steps and links) or
    /// <c>{ id, steps?, companyPortalUrl?, guideUrl? }</c> with the platform's own instructions.
    /// </summary>
    public void CheckPlatforms(YamlNode node, string path, string template)
    {
        if (node is YamlMappingNode)
        {
            r.Error(node, path, "platforms is a list of platforms, not a map",
                "write platforms: [windows, ios]; give a platform its own instructions as an entry { id: windows, steps: { nl: [...], en: [...] }, guideUrl: https://... }");
            return;
        }

        if (r.Sequence(node, path) is not { } items)
        {
            return;
        }

        if (items.Count == 0)
        {
            r.Error(node, path, "no platforms listed", $"list at least one of {Join(EnrollmentParameters.Platforms)}");
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
                        r.Url(url, fields.Sub(link));
                    }
                }

                if (fields["id"] is not { } id)
                {
                    continue;
                }

                (idNode, idPath) = (id, fields.Sub("id"));
            }

            if (r.Scalar(idNode, idPath) is not { } name)
            {
                continue;
            }

            if (!EnrollmentParameters.Platforms.Contains(name))
            {
                r.Error(idNode, idPath, $"unknown platform '{name}'", $"{Suggest.DidYouMean(name, EnrollmentParameters.Platforms)}use {Join(EnrollmentParameters.Platforms)}");
            }
            else if (!seen.Add(name))
            {
                r.Error(idNode, idPath, $"platform '{name}' is listed twice", "list each platform once");
            }
        }
    }

    /// <summary>Steps are a list of texts per language (<c>{ nl: [...], en: [...] }</c>), or one list for every language.</summary>
    public void CheckSteps(YamlNode node, string path)
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
                    if (!r.Languages.Contains(key))
                    {
                        r.Error(keyNode, $"{path}.{key}", $"'{key}' is not a language of this plan ({Join(r.Languages)})",
                            $"{Suggest.DidYouMean(key, r.Languages)}key the steps by language: {{ {string.Join(", ", r.Languages.Select(l => l + ": [...]"))} }}");
                        continue;
                    }

                    StepList(value, $"{path}.{key}");
                }

                foreach (var language in r.Languages.Where(l => !map.Children.Keys.Any(k => ((YamlScalarNode)k).Value == l)))
                {
                    r.Error(node, path, $"no '{language}' steps (the plan's languages are {Join(r.Languages)})", $"add {language}: [<step>, ...] to this map");
                }

                break;
            default:
                r.Error(node, path, "expected a list of steps, or a list per language", $"write steps: {{ {string.Join(", ", r.Languages.Select(l => l + ": [...]"))} }}");
                break;
        }
    }

    private void StepList(YamlNode node, string path)
    {
        if (r.Sequence(node, path) is not { } items)
        {
            return;
        }

        if (items.Count == 0)
        {
            r.Error(node, path, "no steps", "write at least one step, or leave steps out for the built-in ones");
        }

        for (var i = 0; i < items.Count; i++)
        {
            r.Scalar(items[i], $"{path}[{i}]");
        }
    }
}
