using System.Globalization;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Commands;

/// <summary>
/// Parses chat text into commands: case-insensitive, English and Dutch aliases, extra spaces tolerated (the caller has
/// already removed the bot's mention and decoded <c>&amp;nbsp;</c>).
/// </summary>
public static class CommandParser
{
    private static readonly Dictionary<string, string> Verbs = new(StringComparer.OrdinalIgnoreCase)
    {
        ["help"] = "help", ["hulp"] = "help", ["?"] = "help", ["menu"] = "help",
        ["whoami"] = "whoami", ["wiebenik"] = "whoami",
        ["plan"] = "plan", ["planning"] = "plan",
        ["reload"] = "reload", ["herlaad"] = "reload", ["herladen"] = "reload",
        ["schedule"] = "schedule", ["rooster"] = "schedule",
        ["preview"] = "preview", ["voorbeeld"] = "preview",
        ["wave"] = "wave", ["golf"] = "wave",
        ["send"] = "send", ["verstuur"] = "send", ["stuur"] = "send",
        ["status"] = "status",
        ["feedback"] = "feedback",
        ["export"] = "export", ["exporteer"] = "export", ["exporteren"] = "export",
        ["deliveries"] = "deliveries", ["delivery"] = "deliveries", ["bezorgingen"] = "deliveries", ["afleveringen"] = "deliveries", ["leveringen"] = "deliveries",
        ["update"] = "update", ["bijwerken"] = "update", ["werkbij"] = "update", ["corrigeer"] = "update",
        ["retract"] = "retract", ["intrekken"] = "retract", ["trekin"] = "retract", ["terugtrekken"] = "retract",
        ["approve"] = "approve", ["goedkeuren"] = "approve", ["keur"] = "approve",
        ["hold"] = "hold", ["aanhouden"] = "hold", ["houd"] = "hold",
    };

    private static readonly Dictionary<string, CommandKind> WaveActions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["start"] = CommandKind.WaveStart, ["begin"] = CommandKind.WaveStart, ["starten"] = CommandKind.WaveStart,
        ["pause"] = CommandKind.WavePause, ["pauzeer"] = CommandKind.WavePause, ["pauzeren"] = CommandKind.WavePause,
        ["resume"] = CommandKind.WaveResume, ["hervat"] = CommandKind.WaveResume, ["hervatten"] = CommandKind.WaveResume,
        ["cancel"] = CommandKind.WaveCancel, ["annuleer"] = CommandKind.WaveCancel, ["annuleren"] = CommandKind.WaveCancel,
    };

    private static readonly Dictionary<string, string> ExportKinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["feedback"] = "feedback",
        ["deliveries"] = "deliveries", ["leveringen"] = "deliveries", ["verzendingen"] = "deliveries", ["bezorgingen"] = "deliveries",
    };

    private static readonly HashSet<string> SetupListWords = new(StringComparer.OrdinalIgnoreCase) { "setup-list", "lijst-instellen", "lijst" };
    private static readonly HashSet<string> NowWords = new(StringComparer.OrdinalIgnoreCase) { "now", "nu" };
    private static readonly HashSet<string> ToWords = new(StringComparer.OrdinalIgnoreCase) { "to", "naar", "aan" };
    private static readonly HashSet<string> FailedWords = new(StringComparer.OrdinalIgnoreCase) { "failed", "failures", "mislukt", "mislukte" };
    private static readonly HashSet<string> RetryWords = new(StringComparer.OrdinalIgnoreCase) { "retry", "opnieuw" };
    private static readonly HashSet<string> ReloadWords = new(StringComparer.OrdinalIgnoreCase) { "reload", "herlaad", "herladen" };

    /// <summary>Every command word in both languages (for "did you mean").</summary>
    public static IReadOnlyList<string> CommandWords { get; } = [.. Verbs.Keys.Where(k => k != "?")];

    /// <summary>Parses one message text; null when the text is empty.</summary>
    public static ParseResult? Parse(string text)
    {
        var tokens = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(t => t.Trim('.', '!', ',', ';'))
            .Where(t => t.Length > 0)
            .ToList();
        if (tokens.Count == 0)
        {
            return null;
        }
        // "wie ben ik?" is three words in Dutch.
        if (tokens.Count >= 3 && Is(tokens[0], "wie") && Is(tokens[1], "ben") && Is(tokens[2].TrimEnd('?'), "ik"))
        {
            tokens = ["wiebenik", .. tokens.Skip(3)];
        }
        var first = tokens[0].Length > 1 ? tokens[0].TrimEnd('?') : tokens[0];
        if (!Verbs.TryGetValue(first, out var verb))
        {
            return new ParseResult(null, UnknownWord: tokens[0], Suggestion: Suggest.Closest(first, CommandWords));
        }
        var rest = tokens.Skip(1).ToList();
        return verb switch
        {
            "help" => Ok(CommandKind.Help),
            "whoami" => Ok(CommandKind.WhoAmI),
            "plan" => rest.Count > 0 && ReloadWords.Contains(rest[0]) ? Ok(CommandKind.PlanReload) : Ok(CommandKind.Plan),
            "reload" => Ok(CommandKind.PlanReload),
            "schedule" => Ok(CommandKind.Schedule, rest.Take(1)),
            "preview" => ParsePreview(rest),
            "wave" => ParseWave(rest),
            "send" => ParseSend(rest),
            "status" => Ok(CommandKind.Status, rest.Take(1)),
            "feedback" => rest.Count > 0 && SetupListWords.Contains(rest[0]) ? Ok(CommandKind.FeedbackSetupList) : Ok(CommandKind.Feedback, rest.Take(1)),
            "export" => rest.Count > 0 && ExportKinds.TryGetValue(rest[0], out var kind)
                ? Ok(CommandKind.Export, [kind])
                : new ParseResult(null, CommandKind.Export),
            "deliveries" => ParseDeliveries(rest),
            "update" => rest.Count is 1 or 2 ? Ok(CommandKind.Update, rest) : new ParseResult(null, CommandKind.Update),
            "retract" => rest.Count is 1 or 2 ? Ok(CommandKind.Retract, rest) : new ParseResult(null, CommandKind.Retract),
            // "keur pilot goed" is how Dutch says it too.
            "approve" => rest.Count > 0 ? Ok(CommandKind.Approve, rest.Take(1)) : new ParseResult(null, CommandKind.Approve),
            // "houd pilot aan" likewise.
            "hold" => rest.Count > 0 ? Ok(CommandKind.Hold, rest.Take(1)) : new ParseResult(null, CommandKind.Hold),
            _ => throw new InvalidOperationException(verb),
        };
    }

    /// <summary>The English command name of a kind, as shown in usage lines and the audit log.</summary>
    public static string CanonicalName(CommandKind kind) => kind switch
    {
        CommandKind.Help => "help",
        CommandKind.WhoAmI => "whoami",
        CommandKind.Plan => "plan",
        CommandKind.PlanReload => "plan reload",
        CommandKind.Schedule => "schedule",
        CommandKind.Preview => "preview",
        CommandKind.WaveStart => "wave start",
        CommandKind.WavePause => "wave pause",
        CommandKind.WaveResume => "wave resume",
        CommandKind.WaveCancel => "wave cancel",
        CommandKind.Send => "send",
        CommandKind.Status => "status",
        CommandKind.Feedback => "feedback",
        CommandKind.FeedbackSetupList => "feedback setup-list",
        CommandKind.Export => "export",
        CommandKind.Deliveries => "deliveries",
        CommandKind.DeliveriesRetry => "deliveries retry",
        CommandKind.Update => "update",
        CommandKind.Retract => "retract",
        CommandKind.Approve => "approve",
        CommandKind.Hold => "hold",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>A wave start date: <c>now</c>/<c>nu</c> (null date, now = true) or yyyy-mm-dd / dd-mm-yyyy.</summary>
    public static bool TryParseWhen(string text, out DateOnly? date)
    {
        date = null;
        if (NowWords.Contains(text))
        {
            return true;
        }
        if (DateOnly.TryParseExact(text, ["yyyy-MM-dd", "dd-MM-yyyy", "d-M-yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            date = parsed;
            return true;
        }
        return false;
    }

    private static ParseResult ParsePreview(List<string> rest)
    {
        if (rest.Count == 0)
        {
            return new ParseResult(null, CommandKind.Preview);
        }
        if (rest.Count > 1 && rest[1].ToLowerInvariant() is not ("nl" or "en"))
        {
            return new ParseResult(null, CommandKind.Preview, Problem: rest[1]);
        }
        return Ok(CommandKind.Preview, rest.Count > 1 ? [rest[0], rest[1].ToLowerInvariant()] : [rest[0]]);
    }

    private static ParseResult ParseWave(List<string> rest)
    {
        if (rest.Count == 0 || !WaveActions.TryGetValue(rest[0], out var action))
        {
            return new ParseResult(null, CommandKind.WaveStart, Problem: rest.FirstOrDefault());
        }
        if (rest.Count < 2)
        {
            return new ParseResult(null, action);
        }
        if (action != CommandKind.WaveStart || rest.Count < 3)
        {
            return Ok(action, [rest[1]]);
        }
        if (!TryParseWhen(rest[2], out var date))
        {
            return new ParseResult(null, CommandKind.WaveStart, Problem: rest[2]);
        }
        return Ok(action, [rest[1], date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "now"]);
    }

    /// <summary><c>deliveries ‹target› [failed]</c> or <c>deliveries retry ‹target›</c>; a target may be several words (a name).</summary>
    private static ParseResult ParseDeliveries(List<string> rest)
    {
        var retry = rest.Count > 0 && RetryWords.Contains(rest[0]);
        var words = retry ? rest.Skip(1).ToList() : rest;
        var failed = !retry && words.Count > 1 && FailedWords.Contains(words[^1]);
        if (failed)
        {
            words = words[..^1];
        }
        if (words.Count == 0)
        {
            return new ParseResult(null, CommandKind.Deliveries);
        }
        var target = string.Join(' ', words);
        return retry ? Ok(CommandKind.DeliveriesRetry, [target]) : Ok(CommandKind.Deliveries, failed ? [target, "failed"] : [target]);
    }

    private static ParseResult ParseSend(List<string> rest)
    {
        // send <message> to <target> now
        var to = rest.FindIndex(ToWords.Contains);
        if (rest.Count < 4 || to != 1 || !NowWords.Contains(rest[3]))
        {
            return new ParseResult(null, CommandKind.Send);
        }
        return Ok(CommandKind.Send, [rest[0], rest[2], "now"]);
    }

    private static ParseResult Ok(CommandKind kind, IEnumerable<string>? args = null) => new(new ParsedCommand(kind, [.. args ?? []]));

    private static bool Is(string token, string word) => string.Equals(token, word, StringComparison.OrdinalIgnoreCase);
}
