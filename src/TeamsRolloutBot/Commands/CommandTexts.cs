using System.Globalization;
using System.Text.Json.Nodes;
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

    /// <summary>
    /// A command in its canonical English form (audit log, confirmations) as a lead types it in <paramref name="language"/>:
    /// the command words in that language, ids and dates as they are. Unparsable text is returned unchanged.
    /// </summary>
    public static string Display(string language, string canonical)
    {
        if (CardStrings.Normalize(language) == "en" || CommandParser.Parse(canonical)?.Command is not { } command)
        {
            return canonical;
        }
        var words = KeywordsOf(language);
        string W(string english) => words.TryGetValue(english, out var word) ? word : english;
        var name = string.Join(' ', CommandParser.CanonicalName(command.Kind).Split(' ').Select(W));
        IEnumerable<string> args = command.Kind switch
        {
            CommandKind.Send when command.Args.Count == 3 => [command.Args[0], W("to"), command.Args[1], W("now")],
            CommandKind.Export => command.Args.Select(W),
            CommandKind.Deliveries => command.Args.Select((a, i) => i == 1 ? W(a) : a),
            CommandKind.WaveStart => command.Args.Select((a, i) => i == 1 ? W(a) : a),
            _ => command.Args,
        };
        return string.Join(' ', [name, .. args]);
    }

    /// <summary>English command word → the word in <paramref name="language"/>, read from the help texts' command lines (helpcmd.*Command) of both files.</summary>
    private static Dictionary<string, string> KeywordsOf(string language) => Keywords.GetOrAdd(CardStrings.Normalize(language), lang =>
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (CardStrings.All("en")["commands"]?["helpcmd"] is not JsonObject english || CardStrings.All(lang)["commands"]?["helpcmd"] is not JsonObject local)
        {
            return map;
        }
        foreach (var (key, value) in english)
        {
            if (!key.EndsWith("Command", StringComparison.Ordinal) || value is null || local[key] is not { } translated)
            {
                continue;
            }
            var from = value.GetValue<string>().Split(' ', '|');
            var to = translated.GetValue<string>().Split(' ', '|');
            if (from.Length != to.Length)
            {
                continue;
            }
            for (var i = 0; i < from.Length; i++)
            {
                if (from[i].All(c => char.IsAsciiLetterLower(c) || c == '-') && to[i].All(c => char.IsLetter(c) || c == '-'))
                {
                    map.TryAdd(from[i], to[i]);
                }
            }
        }
        return map;
    });

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Dictionary<string, string>> Keywords = new(StringComparer.Ordinal);

    internal static string PathOf(string key)
    {
        var parts = key.Split('.');
        return parts.Length == 1
            ? "commands." + key
            : "commands." + parts[0] + "." + parts[1] + string.Concat(parts.Skip(2).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }
}
