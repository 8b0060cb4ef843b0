using System.Globalization;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Commands;

/// <summary>
/// The commands' texts: the <c>commands</c> section of the bot's strings files (Cards/Strings/{nl,en}.json).
/// A key <c>status.audit.line</c> reads <c>commands.status.auditLine</c>; <c>{0}</c>-style placeholders are filled in order.
/// </summary>
public sealed class CommandTexts(PlanProvider plans)
{
    /// <summary>The text for a key; an unknown key is a bug and throws.</summary>
    public string Get(string language, string key) => CardStrings.Text(language, PathOf(key));

    /// <summary>The text with {0}-style placeholders filled in.</summary>
    public string Format(string language, string key, params object[] args) =>
        string.Format(CultureInfo.GetCultureInfo(CardStrings.Text(language, "language.culture")), Get(language, key), args);

    /// <summary>nl or en: the user's Teams locale when the plan offers it, else the plan's default language.</summary>
    public string LanguageOf(Activity activity) =>
        CardLanguage.Resolve(plans.Current?.DefaultLanguage ?? "en", plans.Current?.Languages, userLocale: activity.GetLocale());

    internal static string PathOf(string key)
    {
        var parts = key.Split('.');
        return parts.Length == 1
            ? "commands." + key
            : "commands." + parts[0] + "." + parts[1] + string.Concat(parts.Skip(2).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }
}
