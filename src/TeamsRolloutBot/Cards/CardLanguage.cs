namespace TeamsRolloutBot.Cards;

/// <summary>Chooses the language of a card or bot text.</summary>
public static class CardLanguage
{
    /// <summary>
    /// The language for one recipient: the user's Teams locale (e.g. "en-US") when the plan offers it, else the
    /// department's language, else the plan default. Only languages in <paramref name="planLanguages"/> (when
    /// given) that also have texts are chosen; when even the plan default has none, "en" is used.
    /// </summary>
    public static string Resolve(string planDefault, IReadOnlyCollection<string>? planLanguages = null,
        string? departmentLanguage = null, string? userLocale = null)
    {
        bool Usable(string? lang) => lang is not null && CardStrings.IsSupported(lang)
            && (planLanguages is null || planLanguages.Contains(lang, StringComparer.OrdinalIgnoreCase));

        var fromLocale = userLocale?.Split('-', '_')[0];
        foreach (var candidate in new[] { fromLocale, departmentLanguage, planDefault })
        {
            if (Usable(candidate)) return CardStrings.Normalize(candidate!);
        }
        return CardStrings.IsSupported(planDefault) ? CardStrings.Normalize(planDefault) : "en";
    }
}
