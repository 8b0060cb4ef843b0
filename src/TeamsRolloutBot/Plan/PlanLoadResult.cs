namespace TeamsRolloutBot.Plan;

/// <summary>The outcome of reading a plan file: the plan when it has no errors, and every finding.</summary>
public sealed record PlanLoadResult(RolloutPlan? Plan, IReadOnlyList<PlanDiagnostic> Diagnostics)
{
    public bool IsValid => Plan is not null && !Diagnostics.Any(d => d.IsError);

    public IEnumerable<PlanDiagnostic> Errors => Diagnostics.Where(d => d.IsError);

    public IEnumerable<PlanDiagnostic> Warnings => Diagnostics.Where(d => !d.IsError);
}
