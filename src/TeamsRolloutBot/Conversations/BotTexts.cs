using System.Globalization;
using System.Reflection;
using System.Text.Json;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Conversations;

/// <summary>The bot's texts in nl and en, from embedded JSON resource files (one flat key → text map per language).</summary>
public sealed class BotTexts
{
    public const string Dutch = "nl";
    public const string English = "en";
    public static readonly IReadOnlyList<string> Languages = [Dutch, English];

    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _byLanguage = [];

    public BotTexts()
    {
        var assembly = typeof(BotTexts).Assembly;
        foreach (var language in Languages)
        {
            _byLanguage[language] = Load(assembly, $"TeamsRolloutBot.Conversations.Texts.texts.{language}.json");
        }
    }

    /// <summary>The keys of one language's file (tests compare the languages).</summary>
    public IReadOnlyCollection<string> Keys(string language) => _byLanguage[language].Keys.ToList();

    /// <summary>The text for a key; an unknown key is a bug and throws.</summary>
    public string Get(string language, string key) =>
        _byLanguage.TryGetValue(language, out var texts) && texts.TryGetValue(key, out var text)
            ? text
            : throw new KeyNotFoundException($"No '{language}' text for '{key}'.");

    /// <summary>The text with {0}-style placeholders filled in.</summary>
    public string Format(string language, string key, params object[] args) =>
        string.Format(CultureInfo.GetCultureInfo(language), Get(language, key), args);

    /// <summary>nl or en from the user's locale (nl-NL, nl-BE → nl); other locales get the fallback.</summary>
    public static string LanguageOf(Activity activity, string fallback = English) =>
        activity.GetLocale() is { } locale && locale.StartsWith(Dutch, StringComparison.OrdinalIgnoreCase) ? Dutch
        : activity.GetLocale() is { } en && en.StartsWith(English, StringComparison.OrdinalIgnoreCase) ? English
        : fallback;

    private static Dictionary<string, string> Load(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded text resource '{resource}' is missing.");
        return JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? [];
    }
}
