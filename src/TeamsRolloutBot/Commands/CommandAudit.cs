namespace TeamsRolloutBot.Commands;

/// <summary>Writes what leads did, and what was refused, to the log and the audit log (<see cref="IAuditLog"/>).</summary>
public sealed class CommandAudit(IAuditLog audit, CommandTexts texts, ILogger<CommandAudit> logger)
{
    public Task WriteAsync(CommandContext context, string command, string result, string? detail, CancellationToken cancellationToken)
    {
        Log.Executed(logger, command, context.UserId, result);
        return audit.WriteAsync(context.UserId, context.UserName, context.ConversationType, command, result, detail, cancellationToken);
    }

    /// <summary>Refuses a lead command to someone who is not a lead (or whose lead check failed), logged and audited.</summary>
    public async Task<CommandReply> RefuseAsync(CommandContext context, string command, CancellationToken cancellationToken)
    {
        Log.Refused(logger, command, context.UserId, context.Lead.Reason);
        await audit.WriteAsync(context.UserId, context.UserName, context.ConversationType, command, AuditResults.Refused,
            "not a lead: " + context.Lead.Reason, cancellationToken);
        return CommandReply.Message(texts.Get(context.Language,
            context.Lead.Reason == LeadReason.DirectoryUnavailable ? "refuse.directory" : "refuse.notlead"));
    }
}
