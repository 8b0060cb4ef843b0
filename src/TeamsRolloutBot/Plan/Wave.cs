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

    /// <summary>The wave's own <c>approval:</c> (null: the plan's applies).</summary>
    public bool? OwnApproval { get; init; }

    /// <summary>The wave's own <c>approvalAhead:</c> (null: the plan's applies).</summary>
    public TimeSpan? OwnApprovalAhead { get; init; }

    /// <summary>True when the wave's first send waits for a lead's approval (the wave's <c>approval:</c>, else the plan's).</summary>
    public bool ApprovalRequired { get; init; }

    /// <summary>How long before the wave's first send the leads get the approval card.</summary>
    public TimeSpan ApprovalAhead { get; init; } = PlanLoader.DefaultApprovalAhead;

    /// <summary>The last local day of the wave's window (start + duration − 1 day).</summary>
    public DateOnly End => Start.AddDays(DurationDays - 1);

    /// <summary>True when every message is an introduction: such a wave never overlaps a department wave.</summary>
    public bool IsIntroductionOnly => EffectiveMessages.All(m => m.Phase == MessagePhase.Introduction);

    public bool Contains(DateOnly localDate) => localDate >= Start && localDate <= End;
}
