namespace TeamsRolloutBot.Plan;

/// <summary>Who may drive the bot: listed users (Entra object ids or UPNs) and/or every member of a group.</summary>
public sealed record PlanLeads(IReadOnlyList<string> Users, string? GroupId);
