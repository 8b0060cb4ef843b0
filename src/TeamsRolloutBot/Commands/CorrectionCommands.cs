using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Commands;

/// <summary>
/// <c>update &lt;message&gt; [department]</c> and <c>retract &lt;message&gt; [department]</c>: the sent cards of a message,
/// replaced in place with the current plan's version or deleted, by <see cref="CorrectionRunner"/>; above
/// <c>Commands:ConfirmAbove</c> cards the lead confirms first. Also the Update / Leave buttons of the leads' notice card.
/// </summary>
public sealed class CorrectionCommands(
    ISentCardStore cards,
    CorrectionRunner runner,
    ConfirmationFlow confirmation,
    CommandAudit audit,
    CommandTexts texts,
    [FromKeyedServices(CommandsClock.Key)] TimeProvider time)
{
    public async Task<CommandReply> RunAsync(CommandContext context, RolloutPlan plan, ParsedCommand command, string? confirmationId, CancellationToken cancellationToken)
    {
        var language = context.Language;
        var retract = command.Kind == CommandKind.Retract;
        var id = command.Arg(0)!;
        var found = PlanLookup.FindMessage(plan, id);
        var all = await cards.GetSentAsync(id, cancellationToken);
        // A message removed from the plan can still be retracted; updating needs the plan's version.
        if (found is null && (!retract || all.Count == 0))
        {
            return PlanLookup.UnknownMessage(texts, language, plan, id);
        }
        var messageId = found?.Message.Id ?? all[0].MessageId;
        string? departmentId = null;
        var where = "";
        if (command.Arg(1) is { } departmentArg)
        {
            var department = plan.Departments.FirstOrDefault(d => string.Equals(d.Id, departmentArg, StringComparison.OrdinalIgnoreCase));
            departmentId = department?.Id ?? all.FirstOrDefault(c => string.Equals(c.DepartmentId, departmentArg, StringComparison.OrdinalIgnoreCase))?.DepartmentId;
            if (departmentId is null)
            {
                return PlanLookup.UnknownTarget(texts, language, plan, departmentArg);
            }
            where = texts.Format(language, "correct.inDepartment", department?.Name.Get(language, plan.DefaultLanguage) ?? departmentId);
        }
        var live = all.Where(c => c.IsLive && (departmentId is null || c.DepartmentId == departmentId)).ToList();
        if (live.Count == 0)
        {
            return CommandReply.Message(texts.Format(language, retract ? "correct.noneRetract" : "correct.noneUpdate", messageId, where));
        }
        var canonical = new ParsedCommand(command.Kind, departmentId is null ? [messageId] : [messageId, departmentId]);
        var posts = live.Count(c => c.Kind == DeliveryKind.Channel);
        if (confirmationId is null)
        {
            // Every card counts as a recipient here: a channel post is corrected as one.
            if (confirmation.IsNeeded(new RecipientCount(live.Count, posts, true, [])))
            {
                return await confirmation.AskAsync(context, plan, canonical, new RecipientCount(live.Count - posts, posts, true, []),
                    texts.Format(language, retract ? "correct.confirmRetract" : "correct.confirmUpdate", live.Count, messageId, where),
                    retract ? null : found?.Message, found?.Wave, cancellationToken);
            }
        }
        var inbound = context.Activity;
        runner.Enqueue(new CorrectionRequest(retract, messageId, live, canonical.Canonical, context.UserId, context.UserName, context.ConversationType,
            inbound.ServiceUrl ?? live[0].ServiceUrl, inbound.Conversation?.Id ?? "", language));
        await audit.WriteAsync(context, canonical.Canonical, AuditResults.Done, $"{live.Count} card(s) queued: {live.Count - posts} 1:1, {posts} channel post(s)", cancellationToken);
        return CommandReply.Message(texts.Format(language, retract ? "correct.queuedRetract" : "correct.queuedUpdate", live.Count, messageId, where));
    }

    /// <summary>"Update sent cards" on the notice card: the first decision on the notice is kept, then <c>update</c> runs.</summary>
    public async Task<CommandReply?> DecideUpdateAsync(CommandContext context, string messageId, string noticeKey, CancellationToken cancellationToken)
    {
        if (noticeKey.Length > 0 && !await cards.DecideNoticeAsync(noticeKey, "update", context.UserName, time.GetUtcNow(), cancellationToken))
        {
            return await DecidedAsync(context, messageId, noticeKey, cancellationToken);
        }
        return null;
    }

    /// <summary>"Leave as sent" on the notice card: remembered (the notice is not repeated), audited.</summary>
    public async Task<CommandReply> LeaveAsync(CommandContext context, string messageId, string noticeKey, CancellationToken cancellationToken)
    {
        if (!await cards.DecideNoticeAsync(noticeKey, "leave", context.UserName, time.GetUtcNow(), cancellationToken))
        {
            return await DecidedAsync(context, messageId, noticeKey, cancellationToken) ?? CommandReply.Message(texts.Get(context.Language, "invoke.unknown"));
        }
        await audit.WriteAsync(context, "leave " + messageId, AuditResults.Done, "sent cards left as sent after a plan change (" + noticeKey + ")", cancellationToken);
        return CommandReply.Message(texts.Format(context.Language, "correct.left", context.UserName, messageId));
    }

    private async Task<CommandReply?> DecidedAsync(CommandContext context, string messageId, string noticeKey, CancellationToken cancellationToken)
    {
        if (await cards.FindNoticeAsync(noticeKey, cancellationToken) is not { Decision: { } decision } notice)
        {
            return null;
        }
        var language = context.Language;
        return CommandReply.Message(texts.Format(language, "correct.decided", messageId,
            texts.Get(language, decision == "leave" ? "correct.decisionLeave" : "correct.decisionUpdate"), notice.DecidedBy ?? ""));
    }
}
