using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Commands;

/// <summary><c>feedback [wave|department]</c> and <c>feedback setup-list</c>: the survey's results and its SharePoint list.</summary>
public sealed class FeedbackCommands(FeedbackSummaryService feedback, FeedbackListSetup listSetup, CommandAudit audit, CommandTexts texts)
{
    /// <summary><c>feedback [wave|department]</c>: the survey summary card of the feedback feature.</summary>
    public async Task<CommandReply> SummaryAsync(CommandContext context, RolloutPlan plan, string? target, CancellationToken cancellationToken)
    {
        var language = context.Language;
        var card = await feedback.BuildForTargetAsync(target, language, cancellationToken);
        return card is null
            ? PlanLookup.UnknownTarget(texts, language, plan, CommandFormat.Truncate(target ?? "", 40))
            : CommandReply.FromCard(card, texts.Get(language, "feedback.summary"));
    }

    /// <summary><c>feedback setup-list</c>: checks the SharePoint feedback list and adds missing columns (never changes one).</summary>
    public async Task<CommandReply> SetupListAsync(CommandContext context, ParsedCommand command, CancellationToken cancellationToken)
    {
        var language = context.Language;
        var report = await listSetup.EnsureColumnsAsync(cancellationToken);
        var text = !report.Enabled ? texts.Get(language, "feedbackList.off")
            : report.Error is not null ? texts.Format(language, "feedbackList.failed", report.Error)
            : texts.Format(language, "feedbackList.done", report.Present.Count, report.Created.Count,
                report.Created.Count > 0 ? " (" + string.Join(", ", report.Created) + ")" : "")
                + (report.WrongType.Count > 0 ? " " + texts.Format(language, "feedbackList.wrongType", string.Join(", ", report.WrongType)) : "");
        await audit.WriteAsync(context, command.Canonical, report.Ok ? AuditResults.Done : AuditResults.Failed, report.ToString(), cancellationToken);
        return CommandReply.Message(text);
    }
}
