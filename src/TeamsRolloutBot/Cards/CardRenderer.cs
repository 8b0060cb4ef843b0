using System.Text;
using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Cards;

/// <summary>
/// Turns a template id, plain JSON data and a language into a finished Adaptive Card (schema 1.5).
/// The data is described in docs/cards.md: rollout, wave, department, message, contact, recipient, parameters
/// (free-form per template) and answers. Any object whose keys are all supported language codes ({ nl: .., en: .. })
/// is a localized text and is resolved to one language before binding.
/// </summary>
public static class CardRenderer
{
    /// <summary>Teams refuses messages over about 28 KB; a card that large is a bug in the template or the data.</summary>
    public const int MaxCardBytes = 28 * 1024;

    /// <summary>The content type of an Adaptive Card attachment in a Bot Framework activity.</summary>
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    /// <summary>Renders <paramref name="templateId"/> with <paramref name="data"/> in <paramref name="language"/>.</summary>
    /// <exception cref="ArgumentException">Unknown template or language, or data the template cannot use (names what is wrong).</exception>
    /// <exception cref="CardTemplateException">The card cannot be bound or is larger than <see cref="MaxCardBytes"/>.</exception>
    public static JsonObject Render(string templateId, JsonObject data, string language)
    {
        var (template, root) = Prepare(templateId, data, language);
        var card = CardTemplate.Expand(template, root) as JsonObject
            ?? throw new CardTemplateException($"Template '{templateId}' did not produce a card object.");
        var size = Encoding.UTF8.GetByteCount(card.ToJsonString());
        if (size > MaxCardBytes)
            throw new CardTemplateException($"Card '{templateId}' is {size} bytes, over the Teams limit of {MaxCardBytes}; shorten the plan's texts or lists.");
        return card;
    }

    /// <summary>Wraps a rendered card as a Bot Framework attachment.</summary>
    public static JsonObject ToAttachment(JsonObject card) => new()
    {
        ["contentType"] = ContentType,
        ["content"] = card,
    };

    /// <summary>The template and the complete data root it is bound with (used by the differential test).</summary>
    internal static (JsonNode Template, JsonObject Root) Prepare(string templateId, JsonObject data, string language)
    {
        ArgumentNullException.ThrowIfNull(templateId);
        ArgumentNullException.ThrowIfNull(data);
        if (!CardTemplateIds.All.Contains(templateId, StringComparer.Ordinal))
            throw new ArgumentException($"Unknown card template '{templateId}'; known: {string.Join(", ", CardTemplateIds.All)}.", nameof(templateId));
        if (!CardStrings.IsSupported(language))
            throw new ArgumentException($"Unsupported language '{language}'; supported: {string.Join(", ", CardStrings.Languages)}.", nameof(language));
        var lang = CardStrings.Normalize(language);
        var template = CardResources.Load($"Cards/Templates/{templateId}.json")
            ?? throw new InvalidOperationException($"Template resource Cards/Templates/{templateId}.json is missing from the build.");

        var fallbackLanguage = data["defaultLanguage"] is JsonValue d && d.TryGetValue<string>(out var dl) ? dl : null;
        var root = (JsonObject)Localize(data, lang, fallbackLanguage)!;
        var strings = CardStrings.All(lang);
        CardViews.FillDefaults(root, strings);
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["rollout"] = CardViews.Text(root, "rollout", "name"),
            ["wave"] = CardViews.Text(root, "wave", "name"),
            ["department"] = CardViews.Text(root, "department", "name"),
            ["contactName"] = CardViews.Text(root, "contact", "name"),
            ["contactEmail"] = CardViews.Text(root, "contact", "email"),
        };
        FillTexts(strings, tokens);
        root["lang"] = lang;
        root["strings"] = strings;
        root["view"] = CardViews.Build(templateId, root, strings, lang);
        return (template, root);
    }

    /// <summary>Whether <paramref name="node"/> is a localized text: an object whose keys are all supported language codes.</summary>
    public static bool IsLocalized(JsonNode? node) =>
        node is JsonObject o && o.Count > 0 && o.All(p => CardStrings.IsSupported(p.Key));

    /// <summary>A copy of <paramref name="node"/> with every localized text resolved to <paramref name="language"/>.</summary>
    public static JsonNode? Localize(JsonNode? node, string language, string? fallbackLanguage = null)
    {
        switch (node)
        {
            case JsonObject o when IsLocalized(o):
                var pick = Pick(o, language) ?? (fallbackLanguage is null ? null : Pick(o, fallbackLanguage)) ?? o.First().Value;
                return Localize(pick, language, fallbackLanguage);
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (key, value) in o)
                {
                    if (value is not null) copy[key] = Localize(value, language, fallbackLanguage);
                }
                return copy;
            case JsonArray a:
                return new JsonArray([.. a.Where(i => i is not null).Select(i => Localize(i, language, fallbackLanguage))]);
            default:
                return node?.DeepClone();
        }
    }

    private static JsonNode? Pick(JsonObject o, string language) =>
        o.FirstOrDefault(p => string.Equals(p.Key, language, StringComparison.OrdinalIgnoreCase)).Value;

    private static void FillTexts(JsonObject strings, Dictionary<string, string> tokens)
    {
        foreach (var (key, value) in strings.ToList())
        {
            if (value is JsonObject child) FillTexts(child, tokens);
            else if (value is JsonValue v && v.TryGetValue<string>(out var text)) strings[key] = CardStrings.Fill(text, tokens);
        }
    }
}
