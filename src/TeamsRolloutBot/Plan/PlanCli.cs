using System.CommandLine;
using System.Globalization;
using System.Text;

namespace TeamsRolloutBot.Plan;

/// <summary>The <c>plan validate FILE</c> and <c>plan show FILE</c> commands, run before the web host starts.</summary>
public static class PlanCli
{
    /// <summary>Runs a <c>plan ...</c> command and returns its exit code, or null when the arguments are not a plan command.</summary>
    public static int? TryRun(string[] args, IMessageTemplateRules templates, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] != "plan")
        {
            return null;
        }

        var root = new RootCommand("TeamsRolloutBot plan tools");
        var plan = new Command("plan", "Check and show a rollout plan file");
        root.Subcommands.Add(plan);

        var validateFile = new Argument<string>("FILE") { Description = "The plan YAML file" };
        var validate = new Command("validate", "Check a plan: exit 0 when valid, 1 with the errors otherwise") { validateFile };
        validate.SetAction(result => Validate(result.GetValue(validateFile)!, templates, stdout, stderr));
        plan.Subcommands.Add(validate);

        var showFile = new Argument<string>("FILE") { Description = "The plan YAML file" };
        var show = new Command("show", "Print the plan's schedule: wave, message, phase, audience, local time, UTC") { showFile };
        show.SetAction(result => Show(result.GetValue(showFile)!, templates, stdout, stderr));
        plan.Subcommands.Add(show);

        plan.SetAction(_ =>
        {
            stderr.WriteLine("usage: plan validate FILE | plan show FILE");
            return 2;
        });

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine(error.Message);
            }

            stderr.WriteLine("usage: plan validate FILE | plan show FILE");
            return 2;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private static int Validate(string file, IMessageTemplateRules templates, TextWriter stdout, TextWriter stderr)
    {
        file = Locate(file);
        var result = PlanLoader.LoadFile(file, templates);
        WriteDiagnostics(result, stderr);
        if (!result.IsValid)
        {
            stderr.WriteLine(Summary(result, file));
            return 1;
        }

        var sends = ScheduleExpander.Expand(result.Plan!);
        var messages = result.Plan!.Waves.Sum(w => w.EffectiveMessages.Count);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{file}: valid — {result.Plan.Waves.Count} waves, {result.Plan.Departments.Count} departments, {messages} wave messages, {sends.Count} sends; {result.Warnings.Count()} warnings"));
        return 0;
    }

    private static int Show(string file, IMessageTemplateRules templates, TextWriter stdout, TextWriter stderr)
    {
        file = Locate(file);
        var result = PlanLoader.LoadFile(file, templates);
        WriteDiagnostics(result, stderr);
        if (!result.IsValid)
        {
            stderr.WriteLine(Summary(result, file));
            return 1;
        }

        stdout.Write(FormatSchedule(result.Plan!, ScheduleExpander.Expand(result.Plan!)));
        return 0;
    }

    /// <summary>The schedule as a text table, one row per wave, message and route (departments of a row share the time).</summary>
    public static string FormatSchedule(RolloutPlan plan, IReadOnlyList<ScheduledSend> sends)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(sends);
        var header = new[] { "wave", "message", "phase", "audience", "departments", $"local ({plan.TimeZoneId})", "UTC", "note" };
        var rows = sends
            .GroupBy(s => (s.WaveId, s.MessageId, s.Audience))
            .Select(g =>
            {
                var first = g.First();
                var note = first.MovedFrom is { } from ? $"moved from {from:ddd yyyy-MM-dd}" : first.TimeAdjustment ?? "";
                return new[]
                {
                    first.WaveId,
                    first.MessageId,
                    Phase(first.Message.Phase),
                    first.Audience.ToString().ToLowerInvariant(),
                    string.Join(",", g.Select(s => s.DepartmentId).Distinct()),
                    first.Local.ToString("ddd yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture),
                    first.Utc.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture),
                    note,
                };
            })
            .ToList();

        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{plan.Name} — {plan.TimeZoneId}, {sends.Count} sends").AppendLine();
        AppendRow(text, header, widths);
        AppendRow(text, widths.Select(w => new string('-', w)).ToArray(), widths);
        foreach (var row in rows)
        {
            AppendRow(text, row, widths);
        }

        return text.ToString();
    }

    public static string Phase(MessagePhase phase) => phase switch
    {
        MessagePhase.Introduction => "introduction",
        MessagePhase.PreEnrollment => "pre-enrollment",
        MessagePhase.Enrollment => "enrollment",
        MessagePhase.PostEnrollment => "post-enrollment",
        _ => "reminder",
    };

    /// <summary>
    /// `dotnet run --project src/TeamsRolloutBot` runs in the project folder, so a path typed relative to the repository
    /// root is also looked for in the parent folders.
    /// </summary>
    private static string Locate(string file) =>
        File.Exists(file) || Path.IsPathRooted(file) ? file : PlanProvider.ResolvePath(file, Directory.GetCurrentDirectory());

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        var line = string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i])));
        text.Append(line.TrimEnd()).AppendLine();
    }

    private static void WriteDiagnostics(PlanLoadResult result, TextWriter stderr)
    {
        foreach (var diagnostic in result.Diagnostics)
        {
            stderr.WriteLine(diagnostic.ToString());
        }
    }

    private static string Summary(PlanLoadResult result, string file) =>
        string.Create(CultureInfo.InvariantCulture, $"{file}: not valid — {result.Errors.Count()} errors, {result.Warnings.Count()} warnings");
}
