using System.Globalization;
using System.Text;

namespace TeamsRolloutBot.Plan;

/// <summary>What a reload attempt gave: the new plan, or the errors while the previous plan stays in force.</summary>
public sealed class PlanReloadedEventArgs(PlanLoadResult result, RolloutPlan? current, string? requestedBy = null) : EventArgs
{
    public PlanLoadResult Result { get; } = result;

    /// <summary>The Entra object id of the lead who asked for this reload (<c>plan reload</c>), who got the answer in the chat already; null for a file change.</summary>
    public string? RequestedBy { get; } = requestedBy;

    /// <summary>True when the file was valid and is now the running plan.</summary>
    public bool Succeeded => Result.IsValid;

    /// <summary>The plan in force after the attempt (the previous one when the attempt failed; null if none was ever valid).</summary>
    public RolloutPlan? Current { get; } = current;

    /// <summary>A short plain-text report for the leads' chat: what was loaded, or what is wrong and what stays in force.</summary>
    public string Describe(int maxFindings = 5)
    {
        var text = new StringBuilder();
        var warnings = Result.Warnings.ToList();
        if (Succeeded)
        {
            text.Append(CultureInfo.InvariantCulture, $"Plan '{Current!.Name}' loaded: {Current.Waves.Count} waves, {Current.Departments.Count} departments, {warnings.Count} warnings.");
        }
        else
        {
            var errors = Result.Errors.ToList();
            text.Append(CultureInfo.InvariantCulture, $"The plan file has {errors.Count} error(s) and was not loaded. ");
            text.Append(Current is null ? "No plan is running until it is fixed." : $"Plan '{Current.Name}' stays in force.");
            foreach (var error in errors.Take(maxFindings))
            {
                text.AppendLine().Append("- ").Append(Line(error));
            }

            if (errors.Count > maxFindings)
            {
                text.AppendLine().Append(CultureInfo.InvariantCulture, $"- ... and {errors.Count - maxFindings} more (run 'plan validate' for all).");
            }
        }

        foreach (var warning in Succeeded ? warnings.Take(maxFindings) : [])
        {
            text.AppendLine().Append("- warning: ").Append(Line(warning));
        }

        return text.ToString();
    }

    private static string Line(PlanDiagnostic d) =>
        string.Create(CultureInfo.InvariantCulture, $"line {d.Line}, {d.Field}: {d.Message}{(d.Fix is null ? "" : " — " + d.Fix)}");
}
