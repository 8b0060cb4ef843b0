using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Plan;
using static TeamsRolloutBot.Commands.CommandFormat;

namespace TeamsRolloutBot.Commands;

/// <summary><c>status [wave]</c>: where the rollout or one wave stands, with the latest lead actions; also the answer to a wave action.</summary>
public sealed class StatusCommands(
    IWaveControl waves,
    IAuditLog audit,
    CommandTexts texts,
    IOptions<CommandsOptions> options,
    [FromKeyedServices(CommandsClock.Key)] TimeProvider time)
{
    /// <summary>The status card; <paramref name="banner"/> is the result of a wave action shown on top.</summary>
    public async Task<CommandReply> StatusAsync(CommandContext context, RolloutPlan plan, string? waveId, (string Text, bool Good)? banner, CancellationToken cancellationToken)
    {
        var language = context.Language;
        var statuses = await waves.StatusesAsync(plan, cancellationToken);
        var schedule = PlanLookup.Effective(plan, statuses);
        var now = time.GetUtcNow();
        var body = new List<JsonNode>();
        var actions = new List<JsonNode>();
        if (waveId is not null)
        {
            if (PlanLookup.FindWave(plan, waveId) is not { } wave)
            {
                return PlanLookup.UnknownWave(texts, language, plan, waveId);
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
                (texts.Get(language, "status.fact.departments"), PlanLookup.DepartmentNames(plan, wave, language)),
                (texts.Get(language, "status.fact.sends"), texts.Format(language, "status.sends", sends.Count, ahead.Count)),
                (texts.Get(language, "status.fact.next"), ahead.FirstOrDefault() is { } next && PlanLookup.Sends(status.State)
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
        var entries = await audit.LatestAsync(options.Value.AuditEntriesShown, cancellationToken);
        body.Add(CommandCards.Text(entries.Count == 0
            ? texts.Get(language, "status.audit.none")
            : string.Join("\n", entries.Select(e => texts.Format(language, "status.audit.line", Time(Local(plan, e.At)), e.UserName ?? e.UserAadObjectId ?? "?", CommandTexts.Display(language, e.Command), AuditResultText(language, e.Result),
                e.Detail is null ? "" : $" ({e.Detail})")))));
        return CommandReply.FromCard(CommandCards.Card(body, actions), body[0]["text"]!.GetValue<string>());
    }

    /// <summary>The banner text of a status card (the result of a wave action).</summary>
    public static string BannerText(JsonObject? card) =>
        card?["body"] is JsonArray body && body.OfType<JsonObject>().FirstOrDefault(b => (string?)b["type"] == "Container") is { } banner
            ? (string?)banner["items"]?[0]?["text"] ?? ""
            : "";

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
}
