namespace TeamsRolloutBot.Commands;

/// <summary>One audit entry: who did what, when, with which result.</summary>
public sealed record AuditEntry(DateTimeOffset At, string? UserAadObjectId, string? UserName, string? ConversationType, string Command, string Result, string? Detail);

/// <summary>Result words stored in the audit log.</summary>
public static class AuditResults
{
    public const string Done = "done";
    public const string Refused = "refused";
    public const string Failed = "failed";
    public const string AwaitingConfirmation = "awaiting confirmation";
    public const string Confirmed = "confirmed";
    public const string Declined = "declined";
}

/// <summary>The audit log of lead commands: every state change and every refused attempt, from every instance.</summary>
public interface IAuditLog
{
    /// <summary>Appends an entry stamped with the current time.</summary>
    Task WriteAsync(string? userAadObjectId, string? userName, string? conversationType, string command, string result, string? detail, CancellationToken cancellationToken);

    /// <summary>The newest <paramref name="count"/> entries, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> LatestAsync(int count, CancellationToken cancellationToken);
}
