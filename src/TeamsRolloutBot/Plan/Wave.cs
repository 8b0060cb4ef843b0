namespace TeamsRolloutBot.Plan;

/// <summary>A wave of the rollout: which departments, from which start date, for how long, with which messages.</summary>
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
