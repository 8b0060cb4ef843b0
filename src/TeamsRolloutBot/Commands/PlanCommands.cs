using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Plan;
using static TeamsRolloutBot.Commands.CommandFormat;

namespace TeamsRolloutBot.Commands;

/// <summary><c>plan</c>, <c>plan reload</c>, <c>schedule [wave]</c> and <c>preview &lt;message&gt; [language]</c>: what the plan says.</summary>
public sealed class PlanCommands(
    PlanProvider plans,
    IWaveControl waves,
    MessagePreview preview,
    CommandAudit audit,
    CommandTexts texts,
    [FromKeyedServices(CommandsClock.Key)] TimeProvider time)
{
    /// <summary>The plan card's template in Cards/Templates.</summary>
    public const string Template = "lead-plan";

    private const int ScheduleLines = 25;

    public async Task<CommandReply> ReloadAsync(CommandContext context, ParsedCommand command, CancellationToken cancellationToken)
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
        await audit.WriteAsync(context, command.Canonical, result.IsValid ? AuditResults.Done : AuditResults.Failed,
            result.IsValid ? null : $"{result.Errors.Count()} error(s)", cancellationToken);
        return CommandReply.Message(reply);

        string Line(PlanDiagnostic d) => texts.Format(language, "reload.line", d.Line, d.Field, d.Message);
    }

    /// <summary>The plan card (Cards/Templates/lead-plan.json): facts, each wave with its buttons, the next sends.</summary>
    public async Task<CommandReply> PlanAsync(CommandContext context, RolloutPlan plan, CancellationToken cancellationToken)
    {
        var language = context.Language;
        var statuses = await waves.StatusesAsync(plan, cancellationToken);
        var lines = new JsonArray();
        foreach (var wave in plan.Waves)
        {
            var status = statuses[wave.Id];
            var buttons = new JsonArray { Button("button.status", $"status {wave.Id}") };
            if (status.State is WaveState.Scheduled or WaveState.Cancelled)
            {
                buttons.Add(Button("button.start", $"wave start {wave.Id}"));
            }
            lines.Add(new JsonObject
            {
                ["line"] = texts.Format(language, "plan.wave.line",
                    wave.Name.Get(language, plan.DefaultLanguage), wave.Id, Date(status.StartDate), PlanLookup.DepartmentNames(plan, wave, language),
                    texts.Get(language, "state." + status.State)),
                ["buttons"] = buttons,
            });
        }
        // One line per message and time, with all its departments: an all-departments send is one line, not six.
        var ahead = PlanLookup.Effective(plan, statuses)
            .Where(s => s.Utc >= time.GetUtcNow() && PlanLookup.Sends(statuses[s.WaveId].State))
            .GroupBy(s => (s.Utc, s.MessageId, s.Audience))
            .Take(5)
            .ToList();
        var title = texts.Format(language, "plan.title", plan.Name);
        var view = new JsonObject
        {
            ["title"] = title,
            ["timeZone"] = plan.TimeZoneId,
            ["languages"] = string.Join(", ", plan.Languages),
            ["departments"] = plan.Departments.Count.ToString(CultureInfo.InvariantCulture),
            ["waveCount"] = plan.Waves.Count.ToString(CultureInfo.InvariantCulture),
            ["waves"] = lines,
            ["next"] = ahead.Count == 0
                ? texts.Get(language, "plan.next.none")
                : string.Join("\n", ahead.Select(g => texts.Format(language, "plan.next.line", Time(g.First().Local), g.Key.MessageId,
                    string.Join(", ", g.Select(s => s.Department.Name.Get(language, plan.DefaultLanguage)).Distinct()), Audience(language, g.Key.Audience)))),
            ["times"] = texts.Format(language, "plan.times", plan.TimeZoneId),
        };
        return CommandReply.FromCard(CommandCards.FromTemplate(Template, language, view), title);

        JsonObject Button(string key, string command) => new() { ["title"] = texts.Get(language, key), ["command"] = command };
    }

    public async Task<CommandReply> ScheduleAsync(CommandContext context, RolloutPlan plan, string? waveId, CancellationToken cancellationToken)
    {
        var language = context.Language;
        var wave = waveId is null ? null : PlanLookup.FindWave(plan, waveId);
        if (waveId is not null && wave is null)
        {
            return PlanLookup.UnknownWave(texts, language, plan, waveId);
        }
        var statuses = await waves.StatusesAsync(plan, cancellationToken);
        var sends = PlanLookup.Effective(plan, statuses).Where(s => wave is null || s.WaveId == wave.Id).ToList();
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

    public CommandReply Preview(CommandContext context, RolloutPlan plan, string messageId, string? cardLanguage)
    {
        var language = context.Language;
        if (PlanLookup.FindMessage(plan, messageId) is not { } found)
        {
            return PlanLookup.UnknownMessage(texts, language, plan, messageId);
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

    private string Audience(string language, SendAudience audience) => texts.Get(language, "audience." + audience);
}
