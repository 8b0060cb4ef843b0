using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;
using static TeamsRolloutBot.Commands.CommandFormat;

namespace TeamsRolloutBot.Commands;

/// <summary>
/// Sends to many people wait for the lead's confirmation: the confirmation card (count, card preview, Confirm/Cancel), and
/// the click on it, decided once in <see cref="IConfirmationStore"/> whatever the number of clicks, redeliveries or instances.
/// </summary>
public sealed class ConfirmationFlow(
    PlanProvider plans,
    IConfirmationStore confirmations,
    MessagePreview preview,
    CommandAudit audit,
    CommandTexts texts,
    ConnectorClient connector,
    IOptions<CommandsOptions> options,
    [FromKeyedServices(CommandsClock.Key)] TimeProvider time,
    ILogger<ConfirmationFlow> logger)
{
    /// <summary>The confirmation card's template in Cards/Templates, and the card that replaces it once decided.</summary>
    public const string Template = "lead-confirmation";
    public const string ResultTemplate = "lead-confirmation-result";

    /// <summary>Runs a confirmed command (a canonical <c>send</c> or <c>wave start</c>) with its confirmation id.</summary>
    public delegate Task<CommandReply> Run(RolloutPlan plan, ParsedCommand command, string confirmationId, CancellationToken cancellationToken);

    /// <summary>Above <c>Commands:ConfirmAbove</c> people, or when a group could not be counted.</summary>
    public bool IsNeeded(RecipientCount count) => !count.Exact || count.People > options.Value.ConfirmAbove;

    /// <summary>Stores a pending confirmation of <paramref name="command"/> and answers with the card that asks for it.</summary>
    public async Task<CommandReply> AskAsync(CommandContext context, RolloutPlan plan, ParsedCommand command, RecipientCount count,
        string question, PlanMessage? message, Wave? wave, CancellationToken cancellationToken)
    {
        var language = context.Language;
        var lifetime = options.Value.ConfirmationLifetime;
        var id = await confirmations.CreateAsync(command.Canonical, count.People, context.UserId, context.UserName, lifetime, cancellationToken);
        await audit.WriteAsync(context, command.Canonical, AuditResults.AwaitingConfirmation, $"{count.People} people, {count.ChannelPosts} channel post(s)", cancellationToken);
        var people = count.Exact
            ? texts.Format(language, "confirm.people.exact", count.People)
            : texts.Format(language, "confirm.people.estimate", count.People, string.Join(", ", count.UncountedDepartments));
        var view = new JsonObject
        {
            ["question"] = question,
            ["people"] = people,
            ["channelPosts"] = count.ChannelPosts.ToString(CultureInfo.InvariantCulture),
            ["expires"] = Time(Local(plan, time.GetUtcNow() + lifetime)),
            ["confirmationId"] = id,
            ["hasPreview"] = message is not null,
            ["previewShown"] = false,
            ["previewFailedShown"] = false,
        };
        if (message is not null)
        {
            var department = wave?.DepartmentIds.Select(plan.FindDepartment).FirstOrDefault(d => d is not null);
            try
            {
                view["preview"] = preview.Render(plan, message, wave, department, language);
                view["previewShown"] = true;
            }
            catch (Exception ex) when (ex is CardTemplateException or ArgumentException)
            {
                view["previewFailed"] = texts.Format(language, "preview.failed", message.Id, ex.Message);
                view["previewFailedShown"] = true;
            }
        }
        return CommandReply.FromCard(CommandCards.FromTemplate(Template, language, view), texts.Get(language, "confirm.summary"));
    }

    /// <summary>A click on Confirm (<paramref name="confirm"/>) or Cancel: decides once, then runs the command with <paramref name="run"/>.</summary>
    public async Task<CommandReply> DecideAsync(CommandContext context, string id, bool confirm, Run run, CancellationToken cancellationToken)
    {
        var language = context.Language;
        var pending = id.Length == 0 ? null : await confirmations.FindAsync(id, cancellationToken);
        if (pending is null)
        {
            return Result(texts.Get(language, "confirm.unknown"), good: false);
        }
        if (!string.Equals(pending.RequestedBy, context.UserId, StringComparison.OrdinalIgnoreCase))
        {
            await audit.WriteAsync(context, pending.Command, AuditResults.Refused, "confirmation belongs to " + pending.RequestedByName, cancellationToken);
            return CommandReply.Message(texts.Format(language, "confirm.notyours", pending.RequestedByName ?? pending.RequestedBy));
        }
        var plan = plans.Current;
        if (!await confirmations.TryDecideAsync(id, confirm ? ConfirmationStates.Confirmed : ConfirmationStates.Declined, context.UserId, context.UserName, cancellationToken))
        {
            // Double click, redelivery, or too late: say what happened the first time; do nothing again.
            var decided = await confirmations.FindAsync(id, cancellationToken);
            if (decided is { State: ConfirmationStates.Pending })
            {
                return Result(texts.Get(language, "confirm.expired"), good: false);
            }
            return Result(texts.Format(language, "confirm.already", texts.Get(language, "confirm.state." + decided!.State),
                decided.DecidedByName ?? "", plan is null ? "" : Time(Local(plan, decided.DecidedAt ?? time.GetUtcNow()))) + Suffix(decided.Result), good: false);
        }

        var at = plan is null ? "" : Time(Local(plan, time.GetUtcNow()));
        if (!confirm)
        {
            await audit.WriteAsync(context, pending.Command, AuditResults.Declined, null, cancellationToken);
            return await ShareAsync(Result(texts.Format(language, "confirm.declined", context.UserName, at), good: false));
        }
        await audit.WriteAsync(context, pending.Command, AuditResults.Confirmed, $"{pending.Recipients} people", cancellationToken);
        var parsed = CommandParser.Parse(pending.Command)?.Command;
        if (plan is null || parsed is null)
        {
            await confirmations.SetResultAsync(id, "no plan", cancellationToken);
            return Result(texts.Get(language, "noplan"), good: false);
        }
        var outcome = await run(plan, parsed, id, cancellationToken);
        var outcomeText = outcome.Text ?? StatusCommands.BannerText(outcome.Card);
        await confirmations.SetResultAsync(id, outcomeText, cancellationToken);
        return await ShareAsync(Result(texts.Format(language, "confirm.done", context.UserName, at) + Suffix(outcomeText), good: true));

        // The invoke response updates the card for the clicking lead only; in a channel or group chat everyone else
        // should see the decision too, not a live Confirm button.
        async Task<CommandReply> ShareAsync(CommandReply reply)
        {
            var inbound = context.Activity;
            if (inbound.IsGroupConversation() && inbound.ReplyToId is { Length: > 0 } cardId && reply.Card is not null)
            {
                var update = await connector.UpdateActivityAsync(inbound.ServiceUrl!, inbound.Conversation!.Id!, cardId, reply.ToActivity(), cancellationToken);
                if (!update.IsSuccess)
                {
                    Log.CardUpdateFailed(logger, update.Outcome);
                }
            }
            return reply;
        }

        CommandReply Result(string text, bool good) => CommandReply.FromCard(CommandCards.FromTemplate(ResultTemplate, language, new JsonObject
        {
            ["command"] = pending?.Command is { } c ? $"`{CommandTexts.Display(language, c)}`" : "",
            ["banner"] = text,
            ["bannerStyle"] = good ? "good" : "attention",
        }), text);

        static string Suffix(string? result) => string.IsNullOrEmpty(result) ? "" : "\n\n" + result;
    }
}
