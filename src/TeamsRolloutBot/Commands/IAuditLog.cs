namespace TeamsRolloutBot.Commands;

/// <summary>The audit log of lead commands: every state change and every refused attempt, from every instance.</summary>
public interface IAuditLog
{
    /// <summary>Appends an entry stamped with the current time.</summary>
    Task WriteAsync(string? userAadObjectId, string? userName, string? conversationType, string command, string result, string? detail, CancellationToken cancellationToken);

    /// <summary>The newest <paramref name="count"/> entries, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> LatestAsync(int count, CancellationToken cancellationToken);
}
