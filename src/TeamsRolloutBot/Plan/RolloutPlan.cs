namespace TeamsRolloutBot.Plan;

/// <summary>A validated rollout plan: the bot's source of truth.</summary>
public sealed record RolloutPlan(
    string Name,
    string TimeZoneId,
    TimeZoneInfo TimeZone,
    string DefaultLanguage,
    IReadOnlyList<string> Languages,
    BusinessHours BusinessHours,
    WeekendPolicy WeekendSends,
    IReadOnlyList<Holiday> Holidays,
    PlanLeads Leads,
    PlanContact? Contact,
    IReadOnlyList<Department> Departments,
    IReadOnlyList<Wave> Waves,
    IReadOnlyList<PlanMessage> SharedMessages,
    string SourceFile)
{
    public Department? FindDepartment(string id) => Departments.FirstOrDefault(d => d.Id == id);

    /// <summary>The language of a department's channel posts: its own <c>language</c>, else the plan default.</summary>
    public string LanguageOf(string? departmentId) =>
        departmentId is not null && FindDepartment(departmentId)?.Language is { } language ? language : DefaultLanguage;

    public Wave? FindWave(string id) => Waves.FirstOrDefault(w => w.Id == id);

    public bool IsHoliday(DateOnly date) => Holidays.Any(h => h.Date == date);
}
