namespace TeamsRolloutBot.Commands;

/// <summary>The answer to "is this user a lead", with the reason and the UPN when Graph gave one.</summary>
public sealed record LeadCheck(bool IsLead, LeadReason Reason, string? UserPrincipalName = null);
