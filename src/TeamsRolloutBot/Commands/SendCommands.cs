using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Commands;

/// <summary><c>send &lt;message&gt; to &lt;wave|department&gt; now</c>: one plan message outside the schedule.</summary>
public sealed class SendCommands(IWaveControl waves, ConfirmationFlow confirmation, CommandAudit audit, CommandTexts texts)
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
        if (confirmationId is null)
        {
            var count = await waves.CountRecipientsAsync([found.Message], departments, cancellationToken);
            if (confirmation.IsNeeded(count))
            {
                return await confirmation.AskAsync(context, plan, canonical, count,
                    texts.Format(language, "confirm.send", found.Message.Id, targetName), found.Message, targetWave ?? found.Wave, cancellationToken);
            }
        }

        var requestId = confirmationId ?? context.Activity.Id ?? Guid.NewGuid().ToString("N");
        var result = await waves.SendNowAsync(requestId, found.Message, departments, context.UserName, cancellationToken);
        var reply = result.Queued
            ? texts.Format(language, "send.queued", found.Message.Id, targetName, result.Jobs)
            : texts.Format(language, "send.notsent", found.Message.Id, targetName);
        await audit.WriteAsync(context, canonical.Canonical, result.Queued ? AuditResults.Done : AuditResults.Failed,
            result.Queued ? $"{result.Jobs} job(s) queued" : "not sent: no delivery engine", cancellationToken);
        return CommandReply.Message(reply);
    }
}
