using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Plan;
using static TeamsRolloutBot.Commands.CommandFormat;

namespace TeamsRolloutBot.Commands;

/// <summary><c>status [wave]</c>: where the rollout or one wave stands (with its approval when the plan asks for one), with the latest lead actions; also the answer to a wave action.</summary>
public sealed class StatusCommands(
    IWaveControl waves,
    IAuditLog audit,
    CommandTexts texts,
    IOptions<CommandsOptions> options,
    [FromKeyedServices(CommandsClock.Key)] TimeProvider time,
    Storage.ISentCardStore? sentCards = null,
    IApprovalStore? approvals = null)
{
    /// <summary>The lead's status card in Cards/Templates.</summary>
    public const string Template = "lead-status";

    /// <summary>The status card (template <see cref="Template"/>); <paramref name="banner"/> is the result of a wave action shown on top.</summary>
    public async Task<CommandReply> StatusAsync(CommandContext context, RolloutPlan plan, string? waveId, (string Text, bool Good)? banner, CancellationToken cancellationToken)
    {
        var language = context.Language;
        var statuses = await waves.StatusesAsync(plan, cancellationToken);
        var schedule = PlanLookup.Effective(plan, statuses);
        var now = time.GetUtcNow();
        var view = new JsonObject
        {
            ["hasBanner"] = banner is not null,
            ["banner"] = banner?.Text ?? "",
            ["bannerStyle"] = banner is { Good: false } ? "attention" : "good",
            ["isWave"] = waveId is not null,
        };
        var lines = new JsonArray();
        var actions = new JsonArray();
        var corrections = await CorrectionsAsync(language, cancellationToken);
        var approvalOf = approvals is null || !plan.Waves.Any(w => w.ApprovalRequired)
            ? new Dictionary<string, WaveApproval>(StringComparer.Ordinal)
            : (await approvals.ReadAllAsync(cancellationToken)).ToDictionary(a => a.WaveId, StringComparer.Ordinal);
        // The state with the approval when the plan asks for one: "scheduled, waits for approval (card sent …)".
        string StateOf(Wave wave, WaveState state) =>
            texts.Get(language, "state." + state)
            + (WaveApprovals.StateText(texts, language, plan, wave, approvalOf.GetValueOrDefault(wave.Id)) is { } approval ? ", " + approval : "");
        if (waveId is not null)
        {
            if (PlanLookup.FindWave(plan, waveId) is not { } wave)
            {
                return PlanLookup.UnknownWave(texts, language, plan, waveId);
            }
            var status = statuses[wave.Id];
            var sends = schedule.Where(s => s.WaveId == wave.Id).ToList();
            var ahead = sends.Where(s => s.Utc >= now).ToList();
            view["title"] = texts.Format(language, "status.wave.title", wave.Name.Get(language, plan.DefaultLanguage));
            view["state"] = StateOf(wave, status.State);
            view["start"] = Date(status.StartDate) + (status.StartDate != wave.Start ? " " + texts.Format(language, "status.moved", Date(wave.Start)) : "");
            view["departments"] = PlanLookup.DepartmentNames(plan, wave, language);
            view["sends"] = texts.Format(language, "status.sends", sends.Count, ahead.Count);
            view["next"] = ahead.FirstOrDefault() is { } next && PlanLookup.Sends(status.State)
                ? texts.Format(language, "status.next", Time(next.Local), next.MessageId, next.Department.Name.Get(language, plan.DefaultLanguage))
                : texts.Get(language, "status.next.none");
            view["deliveries"] = status.Deliveries is { } d
                ? texts.Format(language, status.State == WaveState.Cancelled ? "status.deliveries.cancelled" : "status.deliveries", d.Delivered, d.Failed, d.Pending, d.Skipped)
                : texts.Get(language, "status.deliveries.unavailable");
            if (corrections.TryGetValue(wave.Id, out var corrected))
            {
                view["deliveries"] = view["deliveries"]!.GetValue<string>() + " " + corrected;
            }
            view["changed"] = status.ChangedAt is { } changed
                ? texts.Format(language, "status.changed", Time(Local(plan, changed)), status.ChangedBy ?? "")
                : "—";
            switch (status.State)
            {
                case WaveState.Scheduled or WaveState.Started:
                    actions.Add(Button("button.pause", $"wave pause {wave.Id}"));
                    actions.Add(Button("button.cancel.wave", $"wave cancel {wave.Id}", "destructive"));
                    break;
                case WaveState.Paused:
                    actions.Add(Button("button.resume", $"wave resume {wave.Id}", "positive"));
                    actions.Add(Button("button.cancel.wave", $"wave cancel {wave.Id}", "destructive"));
                    break;
                case WaveState.Cancelled:
                    actions.Add(Button("button.start", $"wave start {wave.Id}"));
                    break;
            }
            actions.Add(Button("button.refresh", $"status {wave.Id}"));
        }
        else
        {
            view["title"] = texts.Format(language, "status.title", plan.Name);
            foreach (var wave in plan.Waves)
            {
                var status = statuses[wave.Id];
                var ahead = schedule.Count(s => s.WaveId == wave.Id && s.Utc >= now);
                lines.Add(new JsonObject
                {
                    ["line"] = texts.Format(language, "status.wave.line", wave.Name.Get(language, plan.DefaultLanguage), wave.Id,
                        StateOf(wave, status.State), Date(status.StartDate), ahead)
                        + (corrections.TryGetValue(wave.Id, out var corrected) ? " " + corrected : ""),
                    ["command"] = $"status {wave.Id}",
                });
            }
            actions.Add(Button("button.refresh", "status"));
        }
        view["waves"] = lines;
        view["actions"] = actions;

        var entries = await audit.LatestAsync(options.Value.AuditEntriesShown, cancellationToken);
        view["audit"] = entries.Count == 0
            ? texts.Get(language, "status.audit.none")
            : string.Join("\n", entries.Select(e => texts.Format(language, "status.audit.line", Time(Local(plan, e.At)), e.UserName ?? e.UserAadObjectId ?? "?", CommandTexts.Display(language, e.Command), AuditResultText(language, e.Result),
                e.Detail is null ? "" : $" ({e.Detail})")));
        return CommandReply.FromCard(CommandCards.FromTemplate(Template, language, view), view["title"]!.GetValue<string>());

        // A button that runs a command as the clicking lead; "default" is how a button without a style looks.
        JsonObject Button(string key, string command, string style = "default") =>
            new() { ["title"] = texts.Get(language, key), ["command"] = command, ["style"] = style };
    }

    /// <summary>Per wave, what the leads' corrections did to the cards already sent (updated, retracted, …); waves without any are absent.</summary>
    private async Task<Dictionary<string, string>> CorrectionsAsync(string language, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (sentCards is null)
        {
            return result;
        }
        foreach (var wave in (await sentCards.GetSentAsync(null, cancellationToken)).Where(c => c.State != Delivery.CorrectionOutcome.Sent).GroupBy(c => c.WaveId))
        {
            int Count(Delivery.CorrectionOutcome outcome) => wave.Count(c => c.State == outcome);
            result[wave.Key] = texts.Format(language, "correct.statusLine", Count(Delivery.CorrectionOutcome.Updated), Count(Delivery.CorrectionOutcome.Retracted),
                Count(Delivery.CorrectionOutcome.Gone), Count(Delivery.CorrectionOutcome.Blocked), Count(Delivery.CorrectionOutcome.Failed));
        }
        return result;
    }

    /// <summary>The banner text of a status card (the result of a wave action).</summary>
    public static string BannerText(JsonObject? card) =>
        card?["body"] is JsonArray body && body.OfType<JsonObject>().FirstOrDefault(b => (string?)b["type"] == "Container" && b["style"] is not null) is { } banner
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
