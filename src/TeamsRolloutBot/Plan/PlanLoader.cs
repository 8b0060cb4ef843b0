using TeamsRolloutBot.Plan.Rules;
using YamlDotNet.RepresentationModel;

namespace TeamsRolloutBot.Plan;

/// <summary>
/// Reads and validates plan YAML; every error names file, line, column and field. The YAML is read by
/// <see cref="PlanYamlReader"/>, each section by its rules class in <c>Plan/Rules</c>, and message parameters by the
/// card templates through <see cref="IMessageTemplateRules"/>.
/// </summary>
public static class PlanLoader
{
    public const int DefaultWaveDurationDays = 28;

    /// <summary>How long before a wave's first send the approval card goes out when the plan does not say (<c>approvalAhead:</c>).</summary>
    public static readonly TimeSpan DefaultApprovalAhead = TimeSpan.FromHours(24);

    private static readonly string[] TopLevelKeys =
        ["rollout", "timeZone", "defaultLanguage", "languages", "businessHours", "weekendSends", "holidays", "leads", "contact", "departments", "waves", "messages", "approval", "approvalAhead"];

    public static PlanLoadResult LoadFile(string path, IMessageTemplateRules templates)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new PlanLoadResult(null, [new PlanDiagnostic(PlanSeverity.Error, path, 1, 1, "", $"cannot read the plan file: {ex.Message}", "check the path (Rollout:PlanPath) and the file's permissions")]);
        }

        return Parse(text, path, templates);
    }

    public static PlanLoadResult Parse(string yaml, string fileName, IMessageTemplateRules templates)
    {
        ArgumentNullException.ThrowIfNull(templates);
        var reader = new PlanNodeReader(fileName);
        var plan = PlanYamlReader.Read(yaml, reader) is { } root ? Build(root, reader, templates) : null;
        var diagnostics = reader.Diagnostics
            .OrderBy(d => d.Line).ThenBy(d => d.Column).ThenBy(d => d.Severity)
            .ToList();
        return new PlanLoadResult(diagnostics.Any(d => d.IsError) ? null : plan, diagnostics);
    }

    /// <summary>Builds the plan from the document's root, section by section, then runs the checks across sections.</summary>
    private static RolloutPlan? Build(YamlNode node, PlanNodeReader r, IMessageTemplateRules templates)
    {
        if (r.Map(node, "", TopLevelKeys, ["rollout", "timeZone", "languages", "leads", "departments", "waves"]) is not { } root)
        {
            return null;
        }

        var settings = new SettingsRules(r);
        var messageRules = new MessageRules(r, templates);
        var waveRules = new WaveRules(r, messageRules);
        var departmentRules = new DepartmentRules(r);
        var checks = new CrossEntryRules(r);

        var name = r.RequiredString(root, "rollout");
        settings.ReadLanguages(root, out var defaultLanguage);
        var timeZone = settings.ReadTimeZone(root);
        var hours = settings.ReadBusinessHours(root);
        var weekend = settings.ReadWeekendPolicy(root);
        var holidays = settings.ReadHolidays(root);
        var leads = new LeadRules(r).ReadLeads(root);
        var contact = settings.ReadContact(root);
        var (planApproval, planAhead) = new ApprovalRules(r).Read(root);
        var departments = r.ReadList(root, "departments", departmentRules.ReadDepartment);
        var shared = root.Has("messages") ? r.ReadList(root, "messages", messageRules.ReadMessage) : [];
        var waves = r.ReadList(root, "waves", (item, path) => waveRules.ReadWave(item, path, departments));

        checks.CheckDuplicates(departments, d => d.Id, d => d.Location, "departments", "department");
        checks.CheckDuplicates(waves, w => w.Id, w => w.Location, "waves", "wave");
        checks.CheckDuplicates(shared, m => m.Id, m => m.Location, "messages", "message");
        waves = waves.Select(w => w with
        {
            EffectiveMessages = w.OwnMessages ?? shared,
            ApprovalRequired = w.OwnApproval ?? planApproval ?? false,
            ApprovalAhead = w.OwnApprovalAhead ?? planAhead ?? DefaultApprovalAhead,
        }).ToList();
        foreach (var wave in waves)
        {
            if (wave.OwnMessages is { } own)
            {
                checks.CheckDuplicates(own, m => m.Id, m => m.Location, $"waves({wave.Id}).messages", "message");
            }

            if (wave.EffectiveMessages.Count == 0)
            {
                r.Warning(wave.Location, $"waves({wave.Id})", "this wave has no messages: nothing will be sent", "add messages: to the wave, or shared messages: at the top level");
            }
        }

        checks.CheckDepartmentRoutes(departments, waves);
        checks.CheckOverlaps(departments, waves);

        if (name is null || timeZone is null || leads is null || departments.Count == 0 || waves.Count == 0)
        {
            return null;
        }

        var plan = new RolloutPlan(name, timeZone.Id, timeZone, defaultLanguage, r.Languages, hours, weekend, holidays, leads, contact, departments, waves, shared, r.File);
        if (!r.Diagnostics.Any(d => d.IsError))
        {
            new ScheduleRules(r, messageRules.Sources).CheckSchedule(plan);
        }

        return plan;
    }
}
