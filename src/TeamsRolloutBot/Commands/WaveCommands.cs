using System.Globalization;
using TeamsRolloutBot.Plan;
using static TeamsRolloutBot.Commands.CommandFormat;

namespace TeamsRolloutBot.Commands;

/// <summary><c>wave start|pause|resume|cancel &lt;wave&gt;</c>: steers a wave and answers with its status card.</summary>
public sealed class WaveCommands(
    IWaveControl waves,
    ConfirmationFlow confirmation,
    StatusCommands status,
    CommandAudit audit,
    CommandTexts texts,
    [FromKeyedServices(CommandsClock.Key)] TimeProvider time)
{
    /// <summary>Runs a wave action; <c>wave start</c> to many people asks for a confirmation first unless <paramref name="confirmed"/>.</summary>
    public async Task<CommandReply> RunAsync(CommandContext context, RolloutPlan plan, ParsedCommand command, bool confirmed, CancellationToken cancellationToken)
    {
        var language = context.Language;
        if (PlanLookup.FindWave(plan, command.Arg(0)!) is not { } wave)
        {
            return PlanLookup.UnknownWave(texts, language, plan, command.Arg(0)!);
        }
        var actor = context.UserName;
        WaveActionResult result;
        WaveStartCheck.Verdict? verdict = null;
        switch (command.Kind)
        {
            case CommandKind.WaveStart:
            {
                var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), plan.TimeZone).DateTime);
                var date = command.Arg(1) switch
                {
                    null => wave.Start,
                    "now" => today,
                    var text => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                };
                // Normalise to the date so a confirmation runs exactly what was shown.
                var canonical = new ParsedCommand(CommandKind.WaveStart, [wave.Id, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)]);
                // Checked again when a confirmation runs it: another wave may have moved in between.
                verdict = WaveStartCheck.Check(texts, language, plan, wave, date, command.Arg(1) is not null, today, await waves.StatusesAsync(plan, cancellationToken));
                if (verdict.Refusal is { } refusal)
                {
                    await audit.WriteAsync(context, canonical.Canonical, AuditResults.Refused, verdict.AuditDetail, cancellationToken);
                    return await status.StatusAsync(context, plan, wave.Id, (refusal, false), cancellationToken);
                }
                if (!confirmed)
                {
                    var count = await waves.CountRecipientsAsync(wave.EffectiveMessages, PlanLookup.Departments(plan, wave), cancellationToken);
                    if (confirmation.IsNeeded(count))
                    {
                        return await confirmation.AskAsync(context, plan, canonical, count,
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
            WaveActionOutcome.Done => texts.Format(language, "wave.done." + command.Kind, name, Date(result.Status.StartDate)) + (verdict?.Note is { } note ? " " + note : ""),
            WaveActionOutcome.Unchanged => texts.Format(language, "wave.unchanged", name, state),
            _ => texts.Format(language, "wave.notpossible." + command.Kind, name, state, wave.Id),
        };
        await audit.WriteAsync(context, command.Canonical,
            result.Outcome == WaveActionOutcome.Done ? AuditResults.Done : AuditResults.Failed,
            result.Outcome == WaveActionOutcome.Done ? $"state {result.Status.State.ToString().ToLowerInvariant()}, start {Date(result.Status.StartDate)}" : $"{result.Outcome}: wave is {result.Status.State.ToString().ToLowerInvariant()}",
            cancellationToken);
        return await status.StatusAsync(context, plan, wave.Id, (banner, result.Outcome == WaveActionOutcome.Done), cancellationToken);
    }
}
