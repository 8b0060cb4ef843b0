using System.Globalization;

namespace TeamsRolloutBot.Plan;

/// <summary>One finding about a plan file: where it is, which field, what is wrong and how to fix it.</summary>
public sealed record PlanDiagnostic(PlanSeverity Severity, string File, int Line, int Column, string Field, string Message, string? Fix)
{
    public bool IsError => Severity == PlanSeverity.Error;

    /// <summary>Formats as <c>file:line:col: error: field: message — fix</c>, the form editors and CI logs link.</summary>
    public override string ToString()
    {
        var severity = IsError ? "error" : "warning";
        var field = string.IsNullOrEmpty(Field) ? "" : Field + ": ";
        var fix = string.IsNullOrEmpty(Fix) ? "" : " — " + Fix;
        return string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}: {severity}: {field}{Message}{fix}");
    }
}
