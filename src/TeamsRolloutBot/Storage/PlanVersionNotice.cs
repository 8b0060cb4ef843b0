using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Storage;

/// <summary>
/// What the leads are told once when an instance runs a stored version instead of its plan file: which version runs,
/// on which instance, the file's first error (invalid file) or the older version its text equals (null: a newer edit
/// that lost the race to publish).
/// </summary>
public sealed record PlanVersionNotice(PlanVersionNoticeKind Kind, int Version, string Instance, string PlanFile, PlanDiagnostic? FirstError, int? OlderVersion);
