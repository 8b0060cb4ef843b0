using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Commands;

/// <summary>Who sent a command, in which conversation and language, and whether they are a lead.</summary>
public sealed record CommandContext(Activity Activity, string Language, string UserId, string UserName, LeadCheck Lead)
{
    public bool IsPersonal => !Activity.IsGroupConversation();
    public string? ConversationType => Activity.Conversation?.ConversationType ?? "personal";
}

/// <summary>
/// The lead commands: parses chat text and card actions, checks who may do what, runs the command and writes state
/// changes and refusals to the audit log. Sends above <c>Commands:ConfirmAbove</c> people wait for a confirmation card.
/// </summary>
public sealed class LeadCommands(
    PlanProvider plans,
    LeadDirectory leads,
    IWaveControl waves,
    IAuditLog audit,
    IConfirmationStore confirmations,
    MessagePreview preview,
    ExportService exports,
    FeedbackSummaryService feedback,
    IServiceProvider services,
    CommandTexts texts,
    ConnectorClient connector,
    IOptions<CommandsOptions> options,
    [FromKeyedServices(CommandsClock.Key)] TimeProvider time,
    ILogger<LeadCommands> logger)
{
    private const int ScheduleLines = 25;
    private readonly CommandsOptions _options = options.Value;

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
                var (verb, data, missing) = ReadAction(activity.Value);
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

    /// <summary>
    /// The verb and data of an Action.Execute invoke (<c>value.action</c>), or the path of the field that is missing or not
    /// of its JSON type: without them there is nothing to run (Bot Builder answers 400 too).
    /// </summary>
    private static (string Verb, JsonElement Data, string? Missing) ReadAction(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.Object } body)
        {
            return ("", default, "value");
        }
        if (!body.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.Object)
        {
            return ("", default, "value.action");
        }
        if (!action.TryGetProperty("verb", out var verb) || verb.ValueKind != JsonValueKind.String)
        {
            return ("", default, "value.action.verb");
        }
        // Adaptive Cards allow a string as data; only an object carries the fields the verbs read.
        var data = action.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        return (verb.GetString()!, data, null);
    }

    /// <summary>An Action.Submit fallback (old clients): a message whose value carries the verb and data.</summary>
    public async Task<Activity?> OnSubmitAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (activity.Value is not { ValueKind: JsonValueKind.Object } value
            || !value.TryGetProperty("verb", out var verb) || verb.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        var context = await ContextAsync(activity, cancellationToken);
        return (await OnCardActionAsync(context, verb.GetString()!, value, cancellationToken)).ToActivity();
    }

    private async Task<CommandContext> ContextAsync(Activity activity, CancellationToken cancellationToken)
    {
        var userId = activity.From?.AadObjectId ?? "";
        var lead = await leads.CheckAsync(userId, cancellationToken);
        return new CommandContext(activity, texts.LanguageOf(activity), userId, activity.From?.Name ?? userId, lead);
    }

    private async Task<CommandReply> OnCardActionAsync(CommandContext context, string verb, JsonElement data, CancellationToken cancellationToken)
    {
        var language = context.Language;
        switch (verb)
        {
            case CommandCards.RunVerb:
            {
                var command = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("command", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() ?? "" : "";
                var parsed = CommandParser.Parse(command);
                if (parsed is null)
                {
                    return CommandReply.Message(texts.Get(language, "invoke.unknown"));
                }
                return await HandleAsync(context, parsed, command, cancellationToken);
            }
            case CommandCards.ConfirmVerb or CommandCards.DeclineVerb:
            {
                var id = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("confirmationId", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() ?? "" : "";
                if (!context.Lead.IsLead)
                {
                    return await RefuseAsync(context, verb, cancellationToken);
                }
                return await DecideAsync(context, id, verb == CommandCards.ConfirmVerb, cancellationToken);
            }
            case "status.refresh" or "status.failures" or "status.pause" or "status.resume":
            {
                // The buttons of the delivery progress card (Cards template "status"): data { waveId }.
                var wave = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("waveId", out var w) && w.ValueKind == JsonValueKind.String ? w.GetString() ?? "" : "";
                var command = verb switch
                {
                    "status.pause" => $"wave pause {wave}",
                    "status.resume" => $"wave resume {wave}",
                    _ => $"status {wave}",
                };
                return await HandleAsync(context, CommandParser.Parse(command)!, command, cancellationToken);
            }
            default:
                Log.InvokeRefused(logger, verb, "unknown verb");
                return CommandReply.Message(texts.Get(language, "invoke.unknown"));
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
                    ? await RefuseAsync(context, CommandParser.CanonicalName(usageOf), cancellationToken)
                    : CommandReply.Message(CardStrings.Text(language, "help.unknownCommand"));
            }
            if (parsed.UsageOf is { } kind)
            {
                return CommandReply.Message(texts.Get(language, "usage." + kind));
            }
            return CommandReply.Message(parsed.Suggestion is { } suggestion
                ? texts.Format(language, "unknown.command", Truncate(parsed.UnknownWord ?? text, 40), suggestion)
                : texts.Format(language, "unknown.command.nosuggestion", Truncate(parsed.UnknownWord ?? text, 40)));
        }

        if (command.IsLeadOnly && !context.Lead.IsLead)
        {
            return await RefuseAsync(context, command.Canonical, cancellationToken);
        }

        switch (command.Kind)
        {
            case CommandKind.Help:
                return Help(context);
            case CommandKind.WhoAmI:
                return WhoAmI(context);
            case CommandKind.PlanReload:
                return await ReloadAsync(context, command, cancellationToken);
        }

        if (plans.Current is not { } plan)
        {
            return CommandReply.Message(texts.Get(language, "noplan"));
        }
        return command.Kind switch
        {
            CommandKind.Plan => await PlanAsync(context, plan, cancellationToken),
            CommandKind.Schedule => await ScheduleAsync(context, plan, command.Arg(0), cancellationToken),
            CommandKind.Preview => Preview(context, plan, command.Arg(0)!, command.Arg(1)),
            CommandKind.WaveStart or CommandKind.WavePause or CommandKind.WaveResume or CommandKind.WaveCancel
                => await WaveAsync(context, plan, command, confirmed: false, cancellationToken),
            CommandKind.Send => await SendAsync(context, plan, command, confirmationId: null, cancellationToken),
            CommandKind.Status => await StatusAsync(context, plan, command.Arg(0), banner: null, cancellationToken),
            CommandKind.Feedback => await FeedbackAsync(context, plan, command.Arg(0), cancellationToken),
            CommandKind.FeedbackSetupList => await SetupListAsync(context, command, cancellationToken),
            CommandKind.Export => await exports.RequestAsync(context, plan, command.Arg(0)!, cancellationToken),
            _ => throw new InvalidOperationException(command.Kind.ToString()),
        };
    }

    private async Task<CommandReply> RefuseAsync(CommandContext context, string command, CancellationToken cancellationToken)
    {
        Log.Refused(logger, command, context.UserId, context.Lead.Reason);
        await audit.WriteAsync(context.UserId, context.UserName, context.ConversationType, command, AuditResults.Refused,
            "not a lead: " + context.Lead.Reason, cancellationToken);
        return CommandReply.Message(texts.Get(context.Language,
            context.Lead.Reason == LeadReason.DirectoryUnavailable ? "refuse.directory" : "refuse.notlead"));
    }

    /// <summary>The help card (Cards template <c>help</c>) with every command this user may use.</summary>
    private CommandReply Help(CommandContext context)
    {
        var language = context.Language;
        var isLead = context.Lead.IsLead;
        // The command column in the user's language (Dutch words in Dutch); both languages work either way.
        JsonObject Command(string key) => new() { ["command"] = texts.Get(language, $"helpcmd.{key}.command"), ["description"] = texts.Get(language, "helpcmd." + key) };
        var parameters = new JsonObject
        {
            ["isLead"] = isLead,
            ["employeeCommands"] = new JsonArray(Command("whoami")),
        };
        if (isLead)
        {
            parameters["leadCommands"] = new JsonArray(
                Command("plan"), Command("reload"), Command("schedule"), Command("wavestart"), Command("wavecontrol"),
                Command("send"), Command("feedback"), Command("setuplist"), Command("export"));
        }
        var data = (plans.Current is { } plan ? PlanCards.Base(plan) : new CardData { RolloutName = CardStrings.Text(language, "common.defaultRollout") }) with { Parameters = parameters };
        var card = CardRenderer.Render(CardTemplateIds.Help, data.ToJson(), language);
        if (isLead)
        {
            var actions = card["actions"] as JsonArray ?? [];
            actions.Add(CommandCards.RunButton(texts.Get(language, "button.plan"), "plan"));
            actions.Add(CommandCards.RunButton(texts.Get(language, "button.status"), "status"));
            card["actions"] = actions;
        }
        return CommandReply.FromCard(card, CardStrings.Text(language, "help.title"));
    }

    private CommandReply WhoAmI(CommandContext context)
    {
        var language = context.Language;
        var reason = texts.Format(language, "lead.reason." + context.Lead.Reason, context.Lead.UserPrincipalName ?? "");
        return CommandReply.Message(texts.Format(language, "whoami.text",
            context.UserName, context.UserId.Length > 0 ? context.UserId : "—", reason));
    }

    private async Task<CommandReply> ReloadAsync(CommandContext context, ParsedCommand command, CancellationToken cancellationToken)
    {
        var language = context.Language;
        var result = await plans.ReloadAsync(context.UserId.Length > 0 ? context.UserId : null, cancellationToken);
        string reply;
        if (result.IsValid)
        {
            var plan = plans.Current!;
            reply = texts.Format(language, "reload.ok", plan.Name, plan.Waves.Count, plan.Departments.Count, result.Warnings.Count());
            reply += string.Concat(result.Warnings.Take(5).Select(w => "\n- " + Line(w)));
        }
        else
        {
            var errors = result.Errors.ToList();
            reply = texts.Format(language, "reload.failed", errors.Count) + " "
                + (plans.Current is { } kept ? texts.Format(language, "reload.kept", kept.Name) : texts.Get(language, "reload.none"));
            reply += string.Concat(errors.Take(5).Select(e => "\n- " + Line(e)));
        }
        await AuditAsync(context, command.Canonical, result.IsValid ? AuditResults.Done : AuditResults.Failed,
            result.IsValid ? null : $"{result.Errors.Count()} error(s)", cancellationToken);
        return CommandReply.Message(reply);

        string Line(PlanDiagnostic d) => texts.Format(language, "reload.line", d.Line, d.Field, d.Message);
    }

    private async Task<CommandReply> PlanAsync(CommandContext context, RolloutPlan plan, CancellationToken cancellationToken)
    {
        var language = context.Language;
        var statuses = await StatusesAsync(plan, cancellationToken);
        var body = new List<JsonNode>
        {
            CommandCards.Title(texts.Format(language, "plan.title", plan.Name)),
            CommandCards.Facts(
            [
                (texts.Get(language, "plan.fact.timezone"), plan.TimeZoneId),
                (texts.Get(language, "plan.fact.languages"), string.Join(", ", plan.Languages)),
                (texts.Get(language, "plan.fact.departments"), plan.Departments.Count.ToString(CultureInfo.InvariantCulture)),
                (texts.Get(language, "plan.fact.waves"), plan.Waves.Count.ToString(CultureInfo.InvariantCulture)),
            ]),
            CommandCards.Heading(texts.Get(language, "plan.waves")),
        };
        foreach (var wave in plan.Waves)
        {
            var status = statuses[wave.Id];
            body.Add(CommandCards.Text(texts.Format(language, "plan.wave.line",
                wave.Name.Get(language, plan.DefaultLanguage), wave.Id, Date(status.StartDate), DepartmentNames(plan, wave, language),
                texts.Get(language, "state." + status.State))));
            var buttons = new List<JsonNode> { CommandCards.RunButton(texts.Get(language, "button.status"), $"status {wave.Id}") };
            if (status.State is WaveState.Scheduled or WaveState.Cancelled)
            {
                buttons.Add(CommandCards.RunButton(texts.Get(language, "button.start"), $"wave start {wave.Id}"));
            }
            body.Add(CommandCards.ActionSet(buttons));
        }
        body.Add(CommandCards.Heading(texts.Get(language, "plan.next")));
        // One line per message and time, with all its departments: an all-departments send is one line, not six.
        var ahead = Effective(plan, statuses)
            .Where(s => s.Utc >= time.GetUtcNow() && Sends(statuses[s.WaveId].State))
            .GroupBy(s => (s.Utc, s.MessageId, s.Audience))
            .Take(5)
            .ToList();
        body.Add(CommandCards.Text(ahead.Count == 0
            ? texts.Get(language, "plan.next.none")
            : string.Join("\n", ahead.Select(g => texts.Format(language, "plan.next.line", Time(g.First().Local), g.Key.MessageId,
                string.Join(", ", g.Select(s => s.Department.Name.Get(language, plan.DefaultLanguage)).Distinct()), Audience(language, g.Key.Audience))))));
        body.Add(CommandCards.Text(texts.Format(language, "plan.times", plan.TimeZoneId), subtle: true));
        return CommandReply.FromCard(CommandCards.Card(body, [CommandCards.RunButton(texts.Get(language, "button.status"), "status")]),
            texts.Format(language, "plan.title", plan.Name));
    }

    private async Task<CommandReply> ScheduleAsync(CommandContext context, RolloutPlan plan, string? waveId, CancellationToken cancellationToken)
    {
        var language = context.Language;
        var wave = waveId is null ? null : FindWave(plan, waveId);
        if (waveId is not null && wave is null)
        {
            return UnknownWave(language, plan, waveId);
        }
        var statuses = await StatusesAsync(plan, cancellationToken);
        var sends = Effective(plan, statuses).Where(s => wave is null || s.WaveId == wave.Id).ToList();
        if (wave is null)
        {
            // The whole plan is long: show what is still ahead.
            sends = sends.Where(s => s.Utc >= time.GetUtcNow()).ToList();
        }
        var text = new StringBuilder(texts.Format(language, "schedule.header",
            wave is null ? texts.Get(language, "schedule.all") : wave.Name.Get(language, plan.DefaultLanguage), sends.Count, plan.TimeZoneId));
        if (sends.Count == 0)
        {
            text.Append('\n').Append(texts.Get(language, "schedule.none"));
        }
        foreach (var send in sends.Take(ScheduleLines))
        {
            var state = statuses[send.WaveId].State;
            var suffix = state is WaveState.Paused or WaveState.Cancelled ? $" — {texts.Get(language, "state." + state)}" : "";
            text.Append('\n').Append(texts.Format(language, "schedule.line", Time(send.Local), send.MessageId,
                send.Department.Name.Get(language, plan.DefaultLanguage), Audience(language, send.Audience), suffix));
        }
        if (sends.Count > ScheduleLines)
        {
            text.Append('\n').Append(texts.Format(language, "schedule.more", sends.Count - ScheduleLines));
        }
        return CommandReply.Message(text.ToString());
    }

    private CommandReply Preview(CommandContext context, RolloutPlan plan, string messageId, string? cardLanguage)
    {
        var language = context.Language;
        if (FindMessage(plan, messageId) is not { } found)
        {
            return UnknownMessage(language, plan, messageId);
        }
        var lang = cardLanguage ?? language;
        var department = found.Wave?.DepartmentIds.Select(plan.FindDepartment).FirstOrDefault(d => d is not null);
        try
        {
            var card = CommandCards.Card(
            [
                CommandCards.Heading(texts.Format(language, "preview.title", found.Message.Id)),
                CommandCards.Text(texts.Get(language, "preview.inert"), subtle: true),
                preview.Render(plan, found.Message, found.Wave, department, lang),
            ]);
            return CommandReply.FromCard(card, texts.Format(language, "preview.title", found.Message.Id));
        }
        catch (Exception ex) when (ex is CardTemplateException or ArgumentException)
        {
            return CommandReply.Message(texts.Format(language, "preview.failed", found.Message.Id, ex.Message));
        }
    }

    private async Task<CommandReply> WaveAsync(CommandContext context, RolloutPlan plan, ParsedCommand command, bool confirmed, CancellationToken cancellationToken)
    {
        var language = context.Language;
        if (FindWave(plan, command.Arg(0)!) is not { } wave)
        {
            return UnknownWave(language, plan, command.Arg(0)!);
        }
        var actor = context.UserName;
        WaveActionResult result;
        switch (command.Kind)
        {
            case CommandKind.WaveStart:
            {
                var date = command.Arg(1) switch
                {
                    null => wave.Start,
                    "now" => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), plan.TimeZone).DateTime),
                    var text => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                };
                // Normalise to the date so a confirmation runs exactly what was shown.
                var canonical = new ParsedCommand(CommandKind.WaveStart, [wave.Id, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)]);
                if (!confirmed)
                {
                    var count = await waves.CountRecipientsAsync(wave.EffectiveMessages, Departments(plan, wave), cancellationToken);
                    if (NeedsConfirmation(count))
                    {
                        return await AskConfirmationAsync(context, plan, canonical, count,
                            texts.Format(language, "confirm.wavestart", wave.Name.Get(language, plan.DefaultLanguage), Date(date)),
                            wave.EffectiveMessages.Count > 0 ? wave.EffectiveMessages[0] : null, wave, cancellationToken);
                    }
                }
                result = await waves.StartAsync(wave, date == wave.Start ? null : date, actor, cancellationToken);
                command = canonical;
                break;
            }
            case CommandKind.WavePause:
                result = await waves.PauseAsync(wave, actor, cancellationToken);
                break;
            case CommandKind.WaveResume:
                result = await waves.ResumeAsync(wave, actor, cancellationToken);
                break;
            default:
                result = await waves.CancelAsync(wave, actor, cancellationToken);
                break;
        }

        var name = wave.Name.Get(language, plan.DefaultLanguage);
        var state = texts.Get(language, "state." + result.Status.State);
        var banner = result.Outcome switch
        {
            WaveActionOutcome.Done => texts.Format(language, "wave.done." + command.Kind, name, Date(result.Status.StartDate)),
            WaveActionOutcome.Unchanged => texts.Format(language, "wave.unchanged", name, state),
            _ => texts.Format(language, "wave.notpossible." + command.Kind, name, state, wave.Id),
        };
        await AuditAsync(context, command.Canonical,
            result.Outcome == WaveActionOutcome.Done ? AuditResults.Done : AuditResults.Failed,
            result.Outcome == WaveActionOutcome.Done ? $"state {result.Status.State.ToString().ToLowerInvariant()}, start {Date(result.Status.StartDate)}" : $"{result.Outcome}: wave is {result.Status.State.ToString().ToLowerInvariant()}",
            cancellationToken);
        return await StatusAsync(context, plan, wave.Id, (banner, result.Outcome == WaveActionOutcome.Done), cancellationToken);
    }

    private async Task<CommandReply> SendAsync(CommandContext context, RolloutPlan plan, ParsedCommand command, string? confirmationId, CancellationToken cancellationToken)
    {
        var language = context.Language;
        if (FindMessage(plan, command.Arg(0)!) is not { } found)
        {
            return UnknownMessage(language, plan, command.Arg(0)!);
        }
        var targetId = command.Arg(1)!;
        Wave? targetWave = FindWave(plan, targetId);
        var departments = targetWave is not null
            ? Departments(plan, targetWave)
            : plan.Departments.FirstOrDefault(d => string.Equals(d.Id, targetId, StringComparison.OrdinalIgnoreCase)) is { } department ? [department] : null;
        if (departments is null)
        {
            return CommandReply.Message(texts.Format(language, "unknown.target", targetId,
                string.Join(", ", plan.Waves.Select(w => $"`{w.Id}`")), string.Join(", ", plan.Departments.Select(d => $"`{d.Id}`"))));
        }
        var targetName = targetWave?.Name.Get(language, plan.DefaultLanguage) ?? departments[0].Name.Get(language, plan.DefaultLanguage);
        var canonical = new ParsedCommand(CommandKind.Send, [found.Message.Id, targetWave?.Id ?? departments[0].Id, "now"]);
        if (confirmationId is null)
        {
            var count = await waves.CountRecipientsAsync([found.Message], departments, cancellationToken);
            if (NeedsConfirmation(count))
            {
                return await AskConfirmationAsync(context, plan, canonical, count,
                    texts.Format(language, "confirm.send", found.Message.Id, targetName), found.Message, targetWave ?? found.Wave, cancellationToken);
            }
        }

        var requestId = confirmationId ?? context.Activity.Id ?? Guid.NewGuid().ToString("N");
        var result = await waves.SendNowAsync(requestId, found.Message, departments, context.UserName, cancellationToken);
        var reply = result.Queued
            ? texts.Format(language, "send.queued", found.Message.Id, targetName, result.Jobs)
            : texts.Format(language, "send.notsent", found.Message.Id, targetName);
        await AuditAsync(context, canonical.Canonical, result.Queued ? AuditResults.Done : AuditResults.Failed,
            result.Queued ? $"{result.Jobs} job(s) queued" : "not sent: no delivery engine", cancellationToken);
        return CommandReply.Message(reply);
    }

    private bool NeedsConfirmation(RecipientCount count) => !count.Exact || count.People > _options.ConfirmAbove;

    private async Task<CommandReply> AskConfirmationAsync(CommandContext context, RolloutPlan plan, ParsedCommand command, RecipientCount count,
        string question, PlanMessage? message, Wave? wave, CancellationToken cancellationToken)
    {
        var language = context.Language;
        var id = await confirmations.CreateAsync(command.Canonical, count.People, context.UserId, context.UserName, _options.ConfirmationLifetime, cancellationToken);
        await AuditAsync(context, command.Canonical, AuditResults.AwaitingConfirmation, $"{count.People} people, {count.ChannelPosts} channel post(s)", cancellationToken);
        var people = count.Exact
            ? texts.Format(language, "confirm.people.exact", count.People)
            : texts.Format(language, "confirm.people.estimate", count.People, string.Join(", ", count.UncountedDepartments));
        var body = new List<JsonNode>
        {
            CommandCards.Title(texts.Get(language, "confirm.title")),
            CommandCards.Text(question),
            CommandCards.Facts(
            [
                (texts.Get(language, "confirm.fact.people"), people),
                (texts.Get(language, "confirm.fact.channels"), count.ChannelPosts.ToString(CultureInfo.InvariantCulture)),
                (texts.Get(language, "confirm.fact.expires"), Time(Local(plan, time.GetUtcNow() + _options.ConfirmationLifetime))),
            ]),
        };
        if (message is not null)
        {
            body.Add(CommandCards.Heading(texts.Get(language, "confirm.preview")));
            var department = wave?.DepartmentIds.Select(plan.FindDepartment).FirstOrDefault(d => d is not null);
            try
            {
                body.Add(preview.Render(plan, message, wave, department, language));
            }
            catch (Exception ex) when (ex is CardTemplateException or ArgumentException)
            {
                body.Add(CommandCards.Text(texts.Format(language, "preview.failed", message.Id, ex.Message)));
            }
        }
        var data = new JsonObject { ["confirmationId"] = id };
        return CommandReply.FromCard(CommandCards.Card(body,
            [
                CommandCards.Execute(texts.Get(language, "button.confirm"), CommandCards.ConfirmVerb, data, "positive"),
                CommandCards.Execute(texts.Get(language, "button.cancel"), CommandCards.DeclineVerb, (JsonObject)data.DeepClone(), "destructive"),
            ]), texts.Get(language, "confirm.summary"));
    }

    private async Task<CommandReply> DecideAsync(CommandContext context, string id, bool confirm, CancellationToken cancellationToken)
    {
        var language = context.Language;
        var pending = id.Length == 0 ? null : await confirmations.FindAsync(id, cancellationToken);
        if (pending is null)
        {
            return Result(texts.Get(language, "confirm.unknown"), good: false);
        }
        if (!string.Equals(pending.RequestedBy, context.UserId, StringComparison.OrdinalIgnoreCase))
        {
            await AuditAsync(context, pending.Command, AuditResults.Refused, "confirmation belongs to " + pending.RequestedByName, cancellationToken);
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
            await AuditAsync(context, pending.Command, AuditResults.Declined, null, cancellationToken);
            return await ShareAsync(Result(texts.Format(language, "confirm.declined", context.UserName, at), good: false));
        }
        await AuditAsync(context, pending.Command, AuditResults.Confirmed, $"{pending.Recipients} people", cancellationToken);
        var parsed = CommandParser.Parse(pending.Command)?.Command;
        if (plan is null || parsed is null)
        {
            await confirmations.SetResultAsync(id, "no plan", cancellationToken);
            return Result(texts.Get(language, "noplan"), good: false);
        }
        var outcome = parsed.Kind == CommandKind.Send
            ? await SendAsync(context, plan, parsed, id, cancellationToken)
            : await WaveAsync(context, plan, parsed, confirmed: true, cancellationToken);
        var outcomeText = outcome.Text ?? FirstText(outcome.Card);
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

        CommandReply Result(string text, bool good) =>
            CommandReply.FromCard(CommandCards.Card([CommandCards.Title(texts.Get(language, "confirm.title")), CommandCards.Text(pending?.Command is { } c ? $"`{CommandTexts.Display(language, c)}`" : ""), CommandCards.Banner(text, good)]), text);

        static string Suffix(string? result) => string.IsNullOrEmpty(result) ? "" : "\n\n" + result;
    }

    /// <summary>The banner text of a status card (the result of a wave action).</summary>
    private static string FirstText(JsonObject? card) =>
        card?["body"] is JsonArray body && body.OfType<JsonObject>().FirstOrDefault(b => (string?)b["type"] == "Container") is { } banner
            ? (string?)banner["items"]?[0]?["text"] ?? ""
            : "";

    private async Task<CommandReply> StatusAsync(CommandContext context, RolloutPlan plan, string? waveId, (string Text, bool Good)? banner, CancellationToken cancellationToken)
    {
        var language = context.Language;
        var statuses = await StatusesAsync(plan, cancellationToken);
        var schedule = Effective(plan, statuses);
        var now = time.GetUtcNow();
        var body = new List<JsonNode>();
        var actions = new List<JsonNode>();
        if (waveId is not null)
        {
            if (FindWave(plan, waveId) is not { } wave)
            {
                return UnknownWave(language, plan, waveId);
            }
            var status = statuses[wave.Id];
            var sends = schedule.Where(s => s.WaveId == wave.Id).ToList();
            var ahead = sends.Where(s => s.Utc >= now).ToList();
            body.Add(CommandCards.Title(texts.Format(language, "status.wave.title", wave.Name.Get(language, plan.DefaultLanguage))));
            if (banner is { } b)
            {
                body.Add(CommandCards.Banner(b.Text, b.Good));
            }
            body.Add(CommandCards.Facts(
            [
                (texts.Get(language, "status.fact.state"), texts.Get(language, "state." + status.State)),
                (texts.Get(language, "status.fact.start"), Date(status.StartDate) + (status.StartDate != wave.Start ? " " + texts.Format(language, "status.moved", Date(wave.Start)) : "")),
                (texts.Get(language, "status.fact.departments"), DepartmentNames(plan, wave, language)),
                (texts.Get(language, "status.fact.sends"), texts.Format(language, "status.sends", sends.Count, ahead.Count)),
                (texts.Get(language, "status.fact.next"), ahead.FirstOrDefault() is { } next && Sends(status.State)
                    ? texts.Format(language, "status.next", Time(next.Local), next.MessageId, next.Department.Name.Get(language, plan.DefaultLanguage))
                    : texts.Get(language, "status.next.none")),
                (texts.Get(language, "status.fact.deliveries"), status.Deliveries is { } d
                    ? texts.Format(language, status.State == WaveState.Cancelled ? "status.deliveries.cancelled" : "status.deliveries", d.Delivered, d.Failed, d.Pending, d.Skipped)
                    : texts.Get(language, "status.deliveries.unavailable")),
                (texts.Get(language, "status.fact.changed"), status.ChangedAt is { } changed
                    ? texts.Format(language, "status.changed", Time(Local(plan, changed)), status.ChangedBy ?? "")
                    : "—"),
            ]));
            switch (status.State)
            {
                case WaveState.Scheduled or WaveState.Started:
                    actions.Add(CommandCards.RunButton(texts.Get(language, "button.pause"), $"wave pause {wave.Id}"));
                    actions.Add(CommandCards.RunButton(texts.Get(language, "button.cancel.wave"), $"wave cancel {wave.Id}", "destructive"));
                    break;
                case WaveState.Paused:
                    actions.Add(CommandCards.RunButton(texts.Get(language, "button.resume"), $"wave resume {wave.Id}", "positive"));
                    actions.Add(CommandCards.RunButton(texts.Get(language, "button.cancel.wave"), $"wave cancel {wave.Id}", "destructive"));
                    break;
                case WaveState.Cancelled:
                    actions.Add(CommandCards.RunButton(texts.Get(language, "button.start"), $"wave start {wave.Id}"));
                    break;
            }
            actions.Add(CommandCards.RunButton(texts.Get(language, "button.refresh"), $"status {wave.Id}"));
        }
        else
        {
            body.Add(CommandCards.Title(texts.Format(language, "status.title", plan.Name)));
            if (banner is { } b)
            {
                body.Add(CommandCards.Banner(b.Text, b.Good));
            }
            foreach (var wave in plan.Waves)
            {
                var status = statuses[wave.Id];
                var ahead = schedule.Count(s => s.WaveId == wave.Id && s.Utc >= now);
                body.Add(CommandCards.Text(texts.Format(language, "status.wave.line", wave.Name.Get(language, plan.DefaultLanguage), wave.Id,
                    texts.Get(language, "state." + status.State), Date(status.StartDate), ahead)));
                body.Add(CommandCards.ActionSet([CommandCards.RunButton(texts.Get(language, "button.status"), $"status {wave.Id}")]));
            }
            actions.Add(CommandCards.RunButton(texts.Get(language, "button.refresh"), "status"));
        }

        body.Add(CommandCards.Heading(texts.Get(language, "status.audit")));
        var entries = await audit.LatestAsync(_options.AuditEntriesShown, cancellationToken);
        body.Add(CommandCards.Text(entries.Count == 0
            ? texts.Get(language, "status.audit.none")
            : string.Join("\n", entries.Select(e => texts.Format(language, "status.audit.line", Time(Local(plan, e.At)), e.UserName ?? e.UserAadObjectId ?? "?", CommandTexts.Display(language, e.Command), AuditResultText(language, e.Result),
                e.Detail is null ? "" : $" ({e.Detail})")))));
        return CommandReply.FromCard(CommandCards.Card(body, actions), body[0]["text"]!.GetValue<string>());
    }

    /// <summary><c>feedback [wave|department]</c>: the survey summary card of the feedback feature.</summary>
    private async Task<CommandReply> FeedbackAsync(CommandContext context, RolloutPlan plan, string? target, CancellationToken cancellationToken)
    {
        var language = context.Language;
        var card = await feedback.BuildForTargetAsync(target, language, cancellationToken);
        return card is null
            ? CommandReply.Message(texts.Format(language, "unknown.target", Truncate(target ?? "", 40),
                string.Join(", ", plan.Waves.Select(w => $"`{w.Id}`")), string.Join(", ", plan.Departments.Select(d => $"`{d.Id}`"))))
            : CommandReply.FromCard(card, texts.Get(language, "feedback.summary"));
    }

    /// <summary><c>feedback setup-list</c>: checks the SharePoint feedback list and adds missing columns (never changes one).</summary>
    private async Task<CommandReply> SetupListAsync(CommandContext context, ParsedCommand command, CancellationToken cancellationToken)
    {
        var language = context.Language;
        var report = await services.GetRequiredService<FeedbackListSetup>().EnsureColumnsAsync(cancellationToken);
        var text = !report.Enabled ? texts.Get(language, "feedbackList.off")
            : report.Error is not null ? texts.Format(language, "feedbackList.failed", report.Error)
            : texts.Format(language, "feedbackList.done", report.Present.Count, report.Created.Count,
                report.Created.Count > 0 ? " (" + string.Join(", ", report.Created) + ")" : "")
                + (report.WrongType.Count > 0 ? " " + texts.Format(language, "feedbackList.wrongType", string.Join(", ", report.WrongType)) : "");
        await AuditAsync(context, command.Canonical, report.Ok ? AuditResults.Done : AuditResults.Failed, report.ToString(), cancellationToken);
        return CommandReply.Message(text);
    }

    private Task AuditAsync(CommandContext context, string command, string result, string? detail, CancellationToken cancellationToken)
    {
        Log.Executed(logger, command, context.UserId, result);
        return audit.WriteAsync(context.UserId, context.UserName, context.ConversationType, command, result, detail, cancellationToken);
    }

    private async Task<Dictionary<string, WaveStatus>> StatusesAsync(RolloutPlan plan, CancellationToken cancellationToken)
    {
        var statuses = new Dictionary<string, WaveStatus>();
        foreach (var wave in plan.Waves)
        {
            statuses[wave.Id] = await waves.GetStatusAsync(wave, cancellationToken);
        }
        return statuses;
    }

    /// <summary>The schedule with the start dates the leads set (wave start on another date).</summary>
    internal static IReadOnlyList<ScheduledSend> Effective(RolloutPlan plan, IReadOnlyDictionary<string, WaveStatus> statuses) =>
        ScheduleExpander.Expand(plan with
        {
            Waves = [.. plan.Waves.Select(w => statuses.TryGetValue(w.Id, out var s) && s.StartDate != w.Start ? w with { Start = s.StartDate } : w)],
        });

    /// <summary>Whether the wave's sends still go out (the delivery engine holds paused and cancelled waves).</summary>
    private static bool Sends(WaveState state) => state is WaveState.Scheduled or WaveState.Started;

    private static Wave? FindWave(RolloutPlan plan, string id) => plan.Waves.FirstOrDefault(w => string.Equals(w.Id, id, StringComparison.OrdinalIgnoreCase));

    private static IReadOnlyList<Department> Departments(RolloutPlan plan, Wave wave) =>
        [.. wave.DepartmentIds.Select(plan.FindDepartment).OfType<Department>()];

    /// <summary>A message by id, with the first wave that sends it.</summary>
    private static (PlanMessage Message, Wave? Wave)? FindMessage(RolloutPlan plan, string id)
    {
        foreach (var wave in plan.Waves)
        {
            if (wave.EffectiveMessages.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.OrdinalIgnoreCase)) is { } message)
            {
                return (message, wave);
            }
        }
        return plan.SharedMessages.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.OrdinalIgnoreCase)) is { } shared ? (shared, null) : null;
    }

    private static IEnumerable<string> MessageIds(RolloutPlan plan) =>
        plan.Waves.SelectMany(w => w.EffectiveMessages).Concat(plan.SharedMessages).Select(m => m.Id).Distinct(StringComparer.OrdinalIgnoreCase);

    private CommandReply UnknownWave(string language, RolloutPlan plan, string id) =>
        CommandReply.Message(texts.Format(language, "unknown.wave", Truncate(id, 40), string.Join(", ", plan.Waves.Select(w => $"`{w.Id}`"))));

    private CommandReply UnknownMessage(string language, RolloutPlan plan, string id) =>
        CommandReply.Message(texts.Format(language, "unknown.message", Truncate(id, 40), string.Join(", ", MessageIds(plan).Select(m => $"`{m}`"))));

    private static string DepartmentNames(RolloutPlan plan, Wave wave, string language) =>
        string.Join(", ", Departments(plan, wave).Select(d => d.Name.Get(language, plan.DefaultLanguage)));

    private string Audience(string language, SendAudience audience) => texts.Get(language, "audience." + audience);

    private static DateTimeOffset Local(RolloutPlan plan, DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, plan.TimeZone);

    /// <summary>An audit result (stored as an English word) in <paramref name="language"/>; an unknown one as stored.</summary>
    private string AuditResultText(string language, string result) => result switch
    {
        AuditResults.Done => texts.Get(language, "auditResult.done"),
        AuditResults.Refused => texts.Get(language, "auditResult.refused"),
        AuditResults.Failed => texts.Get(language, "auditResult.failed"),
        AuditResults.AwaitingConfirmation => texts.Get(language, "auditResult.awaitingConfirmation"),
        AuditResults.Confirmed => texts.Get(language, "auditResult.confirmed"),
        AuditResults.Declined => texts.Get(language, "auditResult.declined"),
        _ => result,
    };

    private static string Time(DateTimeOffset local) => local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
