using System.Text.Json;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Commands;

/// <summary>
/// The lead commands' router: reads chat text (<see cref="CommandParser"/>) and card actions (typed payloads,
/// <see cref="CommandsJsonContext"/>), checks who may do what, and hands the command to the handler of its family.
/// The handlers write state changes to the audit log; refusals are audited here.
/// </summary>
public sealed class LeadCommands(
    PlanProvider plans,
    LeadDirectory leads,
    CommandAudit audit,
    HelpCommands help,
    PlanCommands plan,
    WaveCommands waves,
    SendCommands sends,
    StatusCommands status,
    FeedbackCommands feedback,
    ExportService exports,
    DeliveriesCommands deliveries,
    ConfirmationFlow confirmation,
    CorrectionCommands corrections,
    WaveApprovals approvals,
    CommandTexts texts,
    ILogger<LeadCommands> logger)
{
    /// <summary>Answers a message (the bot's mention already removed). Null when there is nothing to answer.</summary>
    public async Task<Activity?> OnMessageAsync(Activity activity, string text, CancellationToken cancellationToken)
    {
        var parsed = CommandParser.Parse(text);
        if (parsed is null)
        {
            return null;
        }
        var context = await ContextAsync(activity, cancellationToken);
        var reply = await HandleAsync(context, parsed, text, cancellationToken);
        return reply.ToActivity();
    }

    /// <summary>Answers an invoke: card buttons (<c>adaptiveCard/action</c>) and export uploads (<c>fileConsent/invoke</c>).</summary>
    public async Task<InvokeResponse?> OnInvokeAsync(Activity activity, CancellationToken cancellationToken)
    {
        switch (activity.Name)
        {
            case "adaptiveCard/action":
            {
                var (verb, data, missing) = InvokePayload.ReadAction(activity.Value);
                if (missing is not null)
                {
                    Log.InvokeRefused(logger, "adaptiveCard/action", missing + " missing or not of the right type");
                    return InvokeResponse.BadRequest(texts.Format(texts.LanguageOf(activity), "invoke.badRequest", missing));
                }
                var context = await ContextAsync(activity, cancellationToken);
                return (await OnCardActionAsync(context, verb, data, cancellationToken)).ToInvokeResponse();
            }
            case "fileConsent/invoke":
                return await exports.OnFileConsentAsync(activity, await ContextAsync(activity, cancellationToken), cancellationToken);
            default:
                return null;
        }
    }

    /// <summary>An Action.Submit fallback (old clients): a message whose value carries the verb and data.</summary>
    public async Task<Activity?> OnSubmitAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (InvokePayload.Read(activity.Value, CommandsJsonContext.Default.SubmitValue)?.Verb is not { } verb)
        {
            return null;
        }
        var context = await ContextAsync(activity, cancellationToken);
        return (await OnCardActionAsync(context, verb, activity.Value!.Value, cancellationToken)).ToActivity();
    }

    private async Task<CommandContext> ContextAsync(Activity activity, CancellationToken cancellationToken)
    {
        var userId = activity.From?.AadObjectId ?? "";
        var lead = await leads.CheckAsync(userId, cancellationToken);
        return new CommandContext(activity, texts.LanguageOf(activity), userId, activity.From?.Name ?? userId, lead);
    }

    private async Task<CommandReply> OnCardActionAsync(CommandContext context, string verb, JsonElement data, CancellationToken cancellationToken)
    {
        switch (verb)
        {
            case CommandCards.RunVerb:
            {
                var command = InvokePayload.Read(data, CommandsJsonContext.Default.RunData)?.Command ?? "";
                var parsed = CommandParser.Parse(command);
                if (parsed is null)
                {
                    return CommandReply.Message(texts.Get(context.Language, "invoke.unknown"));
                }
                return await HandleAsync(context, parsed, command, cancellationToken);
            }
            case CommandCards.ConfirmVerb or CommandCards.DeclineVerb:
            {
                var id = InvokePayload.Read(data, CommandsJsonContext.Default.ConfirmationData)?.ConfirmationId ?? "";
                if (!context.Lead.IsLead)
                {
                    return await audit.RefuseAsync(context, verb, cancellationToken);
                }
                return await confirmation.DecideAsync(context, id, verb == CommandCards.ConfirmVerb, (current, command, confirmationId, ct) =>
                    command.Kind switch
                    {
                        CommandKind.Send => sends.RunAsync(context, current, command, confirmationId, ct),
                        CommandKind.Update or CommandKind.Retract => corrections.RunAsync(context, current, command, confirmationId, ct),
                        _ => waves.RunAsync(context, current, command, confirmed: true, ct),
                    }, cancellationToken);
            }
            case CorrectionCards.UpdateVerb or CorrectionCards.LeaveVerb:
            {
                // The buttons of the leads' "changed after send" card: data { messageId, noticeKey }.
                var correction = InvokePayload.Read(data, CommandsJsonContext.Default.CorrectionData);
                var messageId = correction?.MessageId ?? "";
                if (!context.Lead.IsLead)
                {
                    return await audit.RefuseAsync(context, verb, cancellationToken);
                }
                if (messageId.Length == 0 || messageId.Contains(' ', StringComparison.Ordinal))
                {
                    return CommandReply.Message(texts.Get(context.Language, "invoke.unknown"));
                }
                if (verb == CorrectionCards.LeaveVerb)
                {
                    return await corrections.LeaveAsync(context, messageId, correction?.NoticeKey ?? "", cancellationToken);
                }
                if (await corrections.DecideUpdateAsync(context, messageId, correction?.NoticeKey ?? "", cancellationToken) is { } decided)
                {
                    return decided;
                }
                var update = "update " + messageId;
                return await HandleAsync(context, CommandParser.Parse(update)!, update, cancellationToken);
            }
            case DeliveriesCommands.RetryVerb:
            {
                if (!context.Lead.IsLead)
                {
                    return await audit.RefuseAsync(context, "deliveries retry", cancellationToken);
                }
                var retry = InvokePayload.Read(data, CommandsJsonContext.Default.RetryData);
                if (retry is not { Scope: { Length: > 0 } scope, RetryId: { Length: > 0 } retryId })
                {
                    Log.InvokeRefused(logger, verb, "scope or retryId missing");
                    return CommandReply.Message(texts.Get(context.Language, "invoke.unknown"));
                }
                if (plans.Current is not { } current)
                {
                    return CommandReply.Message(texts.Get(context.Language, "noplan"));
                }
                return await deliveries.RetryAsync(context, current, scope, retryId, fromCard: true, cancellationToken);
            }
            case WaveApprovals.ApproveVerb or WaveApprovals.HoldVerb:
            {
                // The approval card's buttons (Cards template lead-approval): data { waveId }.
                var wave = InvokePayload.Read(data, CommandsJsonContext.Default.WaveButtonData)?.WaveId ?? "";
                if (!context.Lead.IsLead)
                {
                    return await audit.RefuseAsync(context, (verb == WaveApprovals.ApproveVerb ? "approve " : "hold ") + wave, cancellationToken);
                }
                if (plans.Current is not { } current)
                {
                    return CommandReply.Message(texts.Get(context.Language, "noplan"));
                }
                return await approvals.DecideAsync(context, current, wave, verb == WaveApprovals.ApproveVerb, fromCard: true, cancellationToken);
            }
            case "status.refresh" or "status.failures" or "status.pause" or "status.resume":
            {
                // The buttons of the delivery progress card (Cards template "status"): data { waveId }.
                var wave = InvokePayload.Read(data, CommandsJsonContext.Default.WaveButtonData)?.WaveId ?? "";
                var command = verb switch
                {
                    "status.pause" => $"wave pause {wave}",
                    "status.resume" => $"wave resume {wave}",
                    // "Show failures": the wave's failed recipients, grouped by reason, with Retry for those worth it.
                    "status.failures" => $"deliveries {wave} failed",
                    _ => $"status {wave}",
                };
                return await HandleAsync(context, CommandParser.Parse(command)!, command, cancellationToken);
            }
            default:
                Log.InvokeRefused(logger, verb, "unknown verb");
                return CommandReply.Message(texts.Get(context.Language, "invoke.unknown"));
        }
    }

    private async Task<CommandReply> HandleAsync(CommandContext context, ParseResult parsed, string text, CancellationToken cancellationToken)
    {
        var language = context.Language;
        if (parsed.Command is not { } command)
        {
            if (!context.Lead.IsLead)
            {
                // A non-lead learns nothing about the lead commands: the same hint as for any other text.
                return parsed.UsageOf is { } usageOf && usageOf is not (CommandKind.Help or CommandKind.WhoAmI)
                    ? await audit.RefuseAsync(context, CommandParser.CanonicalName(usageOf), cancellationToken)
                    : CommandReply.Message(CardStrings.Text(language, "help.unknownCommand"));
            }
            if (parsed.UsageOf is { } kind)
            {
                return CommandReply.Message(texts.Get(language, "usage." + kind));
            }
            var word = CommandFormat.Truncate(parsed.UnknownWord ?? text, 40);
            return CommandReply.Message(parsed.Suggestion is { } suggestion
                ? texts.Format(language, "unknown.command", word, suggestion)
                : texts.Format(language, "unknown.command.nosuggestion", word));
        }

        if (command.IsLeadOnly && !context.Lead.IsLead)
        {
            return await audit.RefuseAsync(context, command.Canonical, cancellationToken);
        }

        switch (command.Kind)
        {
            case CommandKind.Help:
                return help.Help(context);
            case CommandKind.WhoAmI:
                return help.WhoAmI(context);
            case CommandKind.PlanReload:
                return await plan.ReloadAsync(context, command, cancellationToken);
        }

        if (plans.Current is not { } current)
        {
            return CommandReply.Message(texts.Get(language, "noplan"));
        }
        return command.Kind switch
        {
            CommandKind.Plan => await plan.PlanAsync(context, current, cancellationToken),
            CommandKind.Schedule => await plan.ScheduleAsync(context, current, command.Arg(0), cancellationToken),
            CommandKind.Preview => plan.Preview(context, current, command.Arg(0)!, command.Arg(1)),
            CommandKind.WaveStart or CommandKind.WavePause or CommandKind.WaveResume or CommandKind.WaveCancel
                => await waves.RunAsync(context, current, command, confirmed: false, cancellationToken),
            CommandKind.Send => await sends.RunAsync(context, current, command, confirmationId: null, cancellationToken),
            CommandKind.Status => await status.StatusAsync(context, current, command.Arg(0), banner: null, cancellationToken),
            CommandKind.Feedback => await feedback.SummaryAsync(context, current, command.Arg(0), cancellationToken),
            CommandKind.FeedbackSetupList => await feedback.SetupListAsync(context, command, cancellationToken),
            CommandKind.Export => await exports.RequestAsync(context, current, command.Arg(0)!, cancellationToken),
            CommandKind.Deliveries => await deliveries.ListAsync(context, current, command.Arg(0)!, failedOnly: command.Arg(1) == "failed", cancellationToken),
            CommandKind.DeliveriesRetry => await deliveries.RetryAsync(context, current, command.Arg(0)!, retryId: null, fromCard: false, cancellationToken),
            CommandKind.Update or CommandKind.Retract => await corrections.RunAsync(context, current, command, confirmationId: null, cancellationToken),
            CommandKind.Approve => await approvals.DecideAsync(context, current, command.Arg(0)!, approve: true, fromCard: false, cancellationToken),
            CommandKind.Hold => await approvals.DecideAsync(context, current, command.Arg(0)!, approve: false, fromCard: false, cancellationToken),
            _ => throw new InvalidOperationException(command.Kind.ToString()),
        };
    }
}
