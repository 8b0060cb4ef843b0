using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Plan;

/// <summary>Where a plan element starts in its YAML file (1-based).</summary>
public readonly record struct SourceLocation(int Line, int Column);

public enum MessagePhase
{
    Introduction,
    PreEnrollment,
    Enrollment,
    PostEnrollment,
    Reminder,
}

/// <summary>Who a plan message is for, as written in the plan.</summary>
public enum MessageAudience
{
    Channel,
    Members,
    Both,
    Email,
}

/// <summary>One concrete delivery route of a scheduled send (<see cref="MessageAudience.Both"/> expands to two).</summary>
public enum SendAudience
{
    Channel,
    Members,
    Email,
}

public enum WeekendPolicy
{
    /// <summary>Send on the planned day, with a warning.</summary>
    Keep,

    /// <summary>Move sends on a Saturday, Sunday or configured holiday to the next business day, same local time.</summary>
    NextBusinessDay,
}

/// <summary>A text in every language of the plan (a YAML map of language codes, or one string for all).</summary>
public sealed record LocalizedText(IReadOnlyDictionary<string, string> Values)
{
    /// <summary>The text in <paramref name="language"/>, else in <paramref name="fallbackLanguage"/>, else any.</summary>
    public string Get(string language, string fallbackLanguage) =>
        Values.TryGetValue(language, out var text) ? text
        : Values.TryGetValue(fallbackLanguage, out var fallback) ? fallback
        : Values.Values.FirstOrDefault() ?? "";
}

public sealed record BusinessHours(TimeOnly Start, TimeOnly End)
{
    public bool Contains(TimeOnly time) => time >= Start && time < End;
}

public sealed record Holiday(DateOnly Date, string? Name);

/// <summary>Who may drive the bot: listed users (Entra object ids or UPNs) and/or every member of a group.</summary>
public sealed record PlanLeads(IReadOnlyList<string> Users, string? GroupId);

public sealed record PlanContact(string? Name, string? Email, string? Url);

/// <summary>Where a department's members come from: one Entra group, or an explicit list of users.</summary>
public sealed record MemberSource(string? GroupId, IReadOnlyList<string> Users);

public sealed record Department(
    string Id,
    LocalizedText Name,
    string? TeamId,
    string? ChannelId,
    MemberSource? Members,
    int? ExpectedSize,
    SourceLocation Location)
{
    /// <summary>The language of the department's channel posts (plan field <c>language</c>); null: the plan's default language.</summary>
    public string? Language { get; init; }
}

/// <summary>One message of the plan: when (offset + local time), to whom, and with which card.</summary>
public sealed record PlanMessage(
    string Id,
    MessagePhase Phase,
    int OffsetDays,
    string OffsetText,
    TimeOnly Time,
    MessageAudience Audience,
    string Template,
    JsonObject Parameters,
    IReadOnlyDictionary<string, LocalizedText> Texts,
    bool CollectReplies,
    string Fingerprint,
    SourceLocation Location);

public sealed record Wave(
    string Id,
    LocalizedText Name,
    bool AllDepartments,
    IReadOnlyList<string> DepartmentIds,
    DateOnly Start,
    int DurationDays,
    IReadOnlyList<PlanMessage>? OwnMessages,
    SourceLocation Location)
{
    /// <summary>The wave's own messages, or the plan's shared messages when it has none of its own.</summary>
    public IReadOnlyList<PlanMessage> EffectiveMessages { get; init; } = [];

    /// <summary>The last local day of the wave's window (start + duration − 1 day).</summary>
    public DateOnly End => Start.AddDays(DurationDays - 1);

    /// <summary>True when every message is an introduction: such a wave never overlaps a department wave.</summary>
    public bool IsIntroductionOnly => EffectiveMessages.All(m => m.Phase == MessagePhase.Introduction);

    public bool Contains(DateOnly localDate) => localDate >= Start && localDate <= End;
}

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
