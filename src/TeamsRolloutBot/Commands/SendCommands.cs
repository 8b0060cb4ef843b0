using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Commands;

/// <summary>
/// <c>send &lt;message&gt; to &lt;wave|department&gt; now</c>: one plan message outside the schedule. It goes out even
/// to a wave that waits for approval; the confirmation and the answer then say so.
/// </summary>
public sealed class SendCommands(IWaveControl waves, ConfirmationFlow confirmation, CommandAudit audit, CommandTexts texts, IApprovalStore? approvals = null)
{
    /// <summary>
    /// Queues the send; to many people it asks for a confirmation first. <paramref name="confirmationId"/> is set when the
    /// lead confirmed: it is then the send's idempotency key.
    /// </summary>
    public async Task<CommandReply> RunAsync(CommandContext context, RolloutPlan plan, ParsedCommand command, string? confirmationId, CancellationToken cancellationToken)
    {
        var language = context.Language;
        if (PlanLookup.FindMessage(plan, command.Arg(0)!) is not { } found)
        {
            return PlanLookup.UnknownMessage(texts, language, plan, command.Arg(0)!);
        }
        var targetId = command.Arg(1)!;
        var targetWave = PlanLookup.FindWave(plan, targetId);
        var departments = targetWave is not null
            ? PlanLookup.Departments(plan, targetWave)
            : plan.Departments.FirstOrDefault(d => string.Equals(d.Id, targetId, StringComparison.OrdinalIgnoreCase)) is { } department ? [department] : null;
        if (departments is null)
        {
            return PlanLookup.UnknownTarget(texts, language, plan, targetId);
        }
        var targetName = targetWave?.Name.Get(language, plan.DefaultLanguage) ?? departments[0].Name.Get(language, plan.DefaultLanguage);
        var canonical = new ParsedCommand(CommandKind.Send, [found.Message.Id, targetWave?.Id ?? departments[0].Id, "now"]);
        var unapproved = await UnapprovedAsync(plan, targetWave, departments[0], language, cancellationToken);
        if (confirmationId is null)
        {
            var count = await waves.CountRecipientsAsync([found.Message], departments, cancellationToken);
            if (confirmation.IsNeeded(count))
            {
                return await confirmation.AskAsync(context, plan, canonical, count,
                    texts.Format(language, "confirm.send", found.Message.Id, targetName) + (unapproved is null ? "" : " " + unapproved),
                    found.Message, targetWave ?? found.Wave, cancellationToken);
            }
        }

        var requestId = confirmationId ?? context.Activity.Id ?? Guid.NewGuid().ToString("N");
        var result = await waves.SendNowAsync(requestId, found.Message, departments, context.UserName, cancellationToken);
        var reply = result.Queued
            ? texts.Format(language, "send.queued", found.Message.Id, targetName, result.Jobs)
            : texts.Format(language, "send.notsent", found.Message.Id, targetName);
        if (result.Queued && unapproved is not null)
        {
            reply += "\n\n" + unapproved;
        }
        await audit.WriteAsync(context, canonical.Canonical, result.Queued ? AuditResults.Done : AuditResults.Failed,
            (result.Queued ? $"{result.Jobs} job(s) queued" : "not sent: no delivery engine") + (result.Queued && unapproved is not null ? "; the wave is not approved yet" : ""), cancellationToken);
        return CommandReply.Message(reply);
    }

    /// <summary>
    /// The warning that the target wave (or, for a department, a wave it is in) asks for approval and is not approved
    /// yet; null when no such wave is involved.
    /// </summary>
    private async Task<string?> UnapprovedAsync(RolloutPlan plan, Wave? targetWave, Department department, string language, CancellationToken cancellationToken)
    {
        if (approvals is null)
        {
            return null;
        }
        var candidates = targetWave is not null
            ? [targetWave]
            : plan.Waves.Where(w => w.DepartmentIds.Contains(department.Id, StringComparer.OrdinalIgnoreCase)).ToList();
        foreach (var wave in candidates.Where(w => w.ApprovalRequired))
        {
            var record = await approvals.FindAsync(wave.Id, cancellationToken);
            if (record is not { IsApproved: true })
            {
                return texts.Format(language, "send.not.approved", wave.Name.Get(language, plan.DefaultLanguage),
                    WaveApprovals.StateText(texts, language, plan, wave, record)!);
            }
        }
        return null;
    }
}
