using System.Text.Json;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Cards;

/// <summary>
/// The command line preview of a plan message: <c>cards render &lt;message-id&gt; [--lang nl|en] [--plan FILE]
/// [--wave ID] [--department ID] [--email [--bot-id ID]]</c> prints the card JSON, or with <c>--email</c> the e-mail
/// the message becomes (<c>Subject: …</c>, a blank line, the HTML). A bot card id (welcome, help, status,
/// survey-thanks) renders that card with example data.
/// </summary>
public static class CardsCli
{
    private const string Usage = "usage: cards render <message-id> [--lang nl|en] [--plan FILE] [--wave ID] [--department ID] [--email [--bot-id ID]]";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Runs the command when <paramref name="args"/> start with "cards"; returns its exit code, or null when they do not.</summary>
    public static int? TryRun(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Length == 0 || args[0] != "cards") return null;
        if (args.Length < 3 || args[1] != "render")
        {
            stderr.WriteLine(Usage);
            return 2;
        }
        var id = args[2];
        string? lang = null, planPath = null, waveId = null, departmentId = null;
        // The survey e-mail links to the bot's chat: the bot's app id as the bot is configured, unless given.
        var botId = Environment.GetEnvironmentVariable("MicrosoftAppId");
        var email = false;
        for (var i = 3; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--lang" when value is not null: lang = value; i++; break;
                case "--plan" when value is not null: planPath = value; i++; break;
                case "--wave" when value is not null: waveId = value; i++; break;
                case "--department" when value is not null: departmentId = value; i++; break;
                case "--bot-id" when value is not null: botId = value; i++; break;
                case "--email": email = true; break;
                default:
                    stderr.WriteLine($"unknown or incomplete option '{args[i]}'");
                    stderr.WriteLine(Usage);
                    return 2;
            }
        }

        planPath ??= FindSamplePlan();
        if (planPath is null || !File.Exists(planPath))
        {
            stderr.WriteLine($"plan file not found: {planPath ?? "samples/intune-rollout.yaml"} (give one with --plan FILE)");
            return 2;
        }
        var loaded = PlanLoader.LoadFile(planPath, CardMessageRules.Instance);
        if (loaded.Plan is not { } plan)
        {
            stderr.WriteLine($"the plan {planPath} is not valid (check it with: plan validate {planPath}):");
            foreach (var error in loaded.Diagnostics.Where(d => d.IsError))
            {
                stderr.WriteLine(error.ToString());
            }
            return 1;
        }

        lang ??= plan.DefaultLanguage;
        if (!CardStrings.IsSupported(lang))
        {
            stderr.WriteLine($"unsupported language '{lang}'; use one of: {string.Join(", ", CardStrings.Languages)}");
            return 2;
        }

        string templateId;
        CardData data;
        var message = PlanCards.Find(plan, id, waveId, departmentId);
        if (message is not null)
        {
            (templateId, data) = (message.TemplateId, message.Data);
        }
        else if (CardTemplateIds.All.Contains(id) && !PlanCards.MessageIds(plan).Contains(id))
        {
            (templateId, data) = (id, PlanCards.Example(plan, id));
        }
        else
        {
            stderr.WriteLine(PlanCards.MessageIds(plan).Contains(id)
                ? $"message '{id}' is not sent to wave '{waveId}' / department '{departmentId}'"
                : $"no message '{id}' in {planPath}; messages: {string.Join(", ", PlanCards.MessageIds(plan))}; bot cards: {string.Join(", ", CardTemplateIds.All.Except(CardTemplateIds.PlanUsable))}");
            return 2;
        }

        try
        {
            if (email)
            {
                var (subject, html) = CardEmail.Render(templateId, data.ToJson(), lang, CardEmail.TeamsChatLink(botId));
                stdout.WriteLine($"Subject: {subject}");
                stdout.WriteLine();
                stdout.Write(html);
                return 0;
            }
            var card = CardRenderer.Render(templateId, data.ToJson(), lang);
            stdout.WriteLine(card.ToJsonString(Indented));
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or CardTemplateException)
        {
            stderr.WriteLine($"cannot render '{id}' ({templateId}): {e.Message}");
            return 1;
        }
    }

    private static string? FindSamplePlan()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "samples", "intune-rollout.yaml");
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }
}
