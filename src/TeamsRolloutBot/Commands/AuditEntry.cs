namespace TeamsRolloutBot.Commands;

/// <summary>One audit entry: who did what, when, with which result.</summary>
public sealed record AuditEntry(DateTimeOffset At, string? UserAadObjectId, string? UserName, string? ConversationType, string Command, string Result, string? Detail);
