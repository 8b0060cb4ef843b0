namespace TeamsRolloutBot.Plan;

/// <summary>Where a department's members come from: one Entra group, or an explicit list of users.</summary>
public sealed record MemberSource(string? GroupId, IReadOnlyList<string> Users);
