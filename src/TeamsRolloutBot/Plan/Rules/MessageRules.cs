using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static TeamsRolloutBot.Plan.PlanNodeReader;

namespace TeamsRolloutBot.Plan.Rules;

/// <summary>
/// One plan message: id, phase, offset, time, audience, template, texts and collectReplies. What a template makes of
/// <c>parameters:</c> is the card templates' business (<see cref="IMessageTemplateRules"/>, implemented in <c>Cards/</c>).
/// </summary>
internal sealed partial class MessageRules(PlanNodeReader r, IMessageTemplateRules templates)
{
    private static readonly string[] MessageKeys = ["id", "phase", "offset", "time", "audience", "template", "parameters", "texts", "collectReplies"];

    [GeneratedRegex("^[a-z][a-zA-Z0-9]*$")]
    private static partial Regex TextKeyPattern();

    /// <summary>Where each message read so far is, for the schedule rules' diagnostics.</summary>
    public Dictionary<PlanMessage, MessageSource> Sources { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// The value of a field that takes one word of <paramref name="words"/> (the i-th word means the i-th value), or null
    /// when it is missing or unknown; an unknown word is an error with a did-you-mean.
    /// </summary>
    private T? OneOf<T>(PlanFields fields, string key, IReadOnlyList<string> words, T[] values) where T : struct
    {
        if (fields[key] is not { } node || r.Scalar(node, fields.Sub(key)) is not { } text)
        {
            return null;
        }
        var index = words.ToList().IndexOf(text);
        if (index < 0)
        {
            r.Error(node, fields.Sub(key), $"unknown {key} '{text}'", $"{Suggest.DidYouMean(text, words)}use one of {Join(words)}");
            return null;
        }
        return values[index];
    }

    public PlanMessage? ReadMessage(YamlNode node, string path)
    {
        if (r.Map(node, path, MessageKeys, ["id", "phase", "offset", "time", "audience", "template"]) is not { } fields)
        {
            return null;
        }

        var id = r.Id(fields);
        var phase = OneOf(fields, "phase", PlanVocabulary.Phases,
            [MessagePhase.Introduction, MessagePhase.PreEnrollment, MessagePhase.Enrollment, MessagePhase.PostEnrollment, MessagePhase.Reminder]);

        var offset = fields["offset"] is { } o ? r.Offset(o, fields.Sub("offset")) : null;
        var time = fields["time"] is { } t ? r.TimeOfDay(t, fields.Sub("time")) : null;
        var audience = OneOf(fields, "audience", PlanVocabulary.Audiences,
            [MessageAudience.Channel, MessageAudience.Members, MessageAudience.Both, MessageAudience.Email]);

        string? template = null;
        if (fields["template"] is { } templateNode && r.Scalar(templateNode, fields.Sub("template")) is { } templateText)
        {
            if (templates.BotInternal.Contains(templateText))
            {
                r.Error(templateNode, fields.Sub("template"), $"template '{templateText}' is used by the bot itself and cannot be scheduled",
                    $"use one of {Join(templates.PlanUsable)}");
            }
            else if (!templates.PlanUsable.Contains(templateText))
            {
                r.Error(templateNode, fields.Sub("template"), $"unknown card template '{templateText}'",
                    $"{Suggest.DidYouMean(templateText, templates.PlanUsable)}use one of {Join(templates.PlanUsable)}");
            }
            else
            {
                template = templateText;
            }
        }

        var parameters = new JsonObject();
        if (fields["parameters"] is { } parametersNode)
        {
            parameters = Parameters(parametersNode, fields.Sub("parameters"), template) ?? parameters;
        }

        if (template is not null)
        {
            templates.CheckRequired(template, parameters, fields["parameters"] ?? node, fields.Sub("parameters"), r);
        }

        var texts = new Dictionary<string, LocalizedText>();
        if (fields["texts"] is { } textsNode && r.Map(textsNode, fields.Sub("texts"), null, []) is { } textFields)
        {
            foreach (var (key, value) in textFields.Values)
            {
                if (PlanVocabulary.SupportedLanguages.Contains(key))
                {
                    r.Error(value, textFields.Sub(key), "texts are keyed by language first; they must be keyed by text name first",
                        $"write texts: {{ title: {{ {string.Join(", ", r.Languages.Select(l => l + ": ..."))} }} }}");
                    continue;
                }

                if (!TextKeyPattern().IsMatch(key))
                {
                    r.Error(value, textFields.Sub(key), $"'{key}' is not a text name", "texts are keyed by a name such as title or body, each with a text per language");
                    continue;
                }

                if (r.Localized(value, textFields.Sub(key), allowPlain: r.Languages.Count == 1) is { } text)
                {
                    texts[key] = text;
                }

                if (template is not null && !templates.Texts.Contains(key))
                {
                    r.Warning(KeyLoc(textFields.Node, key), textFields.Sub(key), $"the '{template}' card does not show text '{key}'",
                        $"{Suggest.DidYouMean(key, templates.Texts)}cards show texts: {Join(templates.Texts)}; other card texts are parameters (see docs/cards.md)");
                }
            }
        }

        var collectReplies = false;
        if (fields["collectReplies"] is { } replies && r.Scalar(replies, fields.Sub("collectReplies")) is { } repliesText)
        {
            if (repliesText is "true" or "false")
            {
                collectReplies = repliesText == "true";
            }
            else
            {
                r.Error(replies, fields.Sub("collectReplies"), $"'{repliesText}' is not true or false", "write collectReplies: true or collectReplies: false");
            }
        }

        if (id is null || phase is null || offset is null || time is null || audience is null || template is null)
        {
            return null;
        }

        var fingerprint = Fingerprint(phase.Value, template, parameters, texts, collectReplies);
        var message = new PlanMessage(id, phase.Value, offset.Value.Days, offset.Value.Text, time.Value, audience.Value, template, parameters, texts, collectReplies, fingerprint, Loc(node));
        Sources[message] = new MessageSource(path, Loc(fields["offset"]!), Loc(fields["time"]!));
        return message;
    }

    private JsonObject? Parameters(YamlNode node, string path, string? template)
    {
        if (r.Map(node, path, null, []) is not { } fields)
        {
            return null;
        }

        var result = new JsonObject();
        foreach (var (key, value) in fields.Values)
        {
            result[key] = YamlJson.ToJson(value);
            if (template is not null)
            {
                // without a known template (reported already) its parameters mean nothing
                templates.CheckParameter(template, fields, key, r);
            }
        }

        return result;
    }

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
}
