using TeamsRolloutBot.Plan;
using static TeamsRolloutBot.Commands.CommandFormat;

namespace TeamsRolloutBot.Commands;

/// <summary>
/// Checks a lead's start date for a wave with the plan's rules (<see cref="WaveDateChecks"/>) against the other waves'
/// current start dates: not in the past, the overlap rule, every send inside the window; and says which sends fall on
/// a weekend day or holiday and what the plan's <c>weekendSends</c> does with them.
/// </summary>
internal static class WaveStartCheck
{
    /// <summary>A refusal (the lead's text and the audit detail), or the note for an accepted date (null: nothing to say).</summary>
    public sealed record Verdict(string? Refusal, string? AuditDetail, string? Note);

    /// <param name="explicitDate">False when the lead gave no date (the planned one): the past-date check is then not made.</param>
    public static Verdict Check(CommandTexts texts, string language, RolloutPlan plan, Wave wave, DateOnly date, bool explicitDate, DateOnly today,
        IReadOnlyDictionary<string, WaveStatus> statuses)
    {
        var name = wave.Name.Get(language, plan.DefaultLanguage);
        if (explicitDate && date < today)
        {
            return Refuse(texts.Format(language, "wave.refusedPast", name, Date(date), Date(today), wave.Id), $"start {Date(date)} is in the past (today {Date(today)})");
        }

        var moved = wave with { Start = date };
        // The other waves as they run now: their current start dates; a cancelled wave sends nothing, so it overlaps nothing.
        var current = plan.Waves
            .Where(w => w.Id == wave.Id || !statuses.TryGetValue(w.Id, out var s) || s.State != WaveState.Cancelled)
            .Select(w => w.Id == wave.Id ? moved : statuses.TryGetValue(w.Id, out var s) && s.StartDate != w.Start ? w with { Start = s.StartDate } : w)
            .ToList();
        if (WaveDateChecks.Overlaps(plan.Departments, current).FirstOrDefault(o => o.First.Id == wave.Id || o.Second.Id == wave.Id) is { } overlap)
        {
            var other = overlap.First.Id == wave.Id ? overlap.Second : overlap.First;
            return Refuse(texts.Format(language, "wave.refusedOverlap", name, Date(date), Date(moved.End),
                    overlap.Department.Name.Get(language, plan.DefaultLanguage), other.Name.Get(language, plan.DefaultLanguage), other.Id, Date(other.Start), Date(other.End)),
                $"overlaps wave {other.Id} ({Date(other.Start)} to {Date(other.End)}) in department {overlap.Department.Id}");
        }

        var sends = ScheduleExpander.Expand(plan with { Waves = [moved] });
        if (sends.FirstOrDefault(WaveDateChecks.IsOutsideWave) is { } outside)
        {
            var day = WaveDateChecks.LocalDate(outside);
            var from = outside.MovedFrom is { } planned ? texts.Format(language, "wave.refusedMovedFrom", Date(planned), planned.ToDateTime(TimeOnly.MinValue)) : "";
            return Refuse(texts.Format(language, "wave.refusedWindow", name, Date(date), outside.MessageId, Date(day), from, Date(moved.Start), Date(moved.End)),
                $"message {outside.MessageId} would send on {Date(day)}, outside the window ({Date(moved.Start)} to {Date(moved.End)})");
        }

        return new Verdict(null, null, DaysOffNote(texts, language, plan, sends));
    }

    /// <summary>The sends on a weekend day or holiday: moved (weekendSends: next-business-day) or sent that day (keep), as the plan does.</summary>
    private static string? DaysOffNote(CommandTexts texts, string language, RolloutPlan plan, IReadOnlyList<ScheduledSend> sends)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var items = new List<string>();
        foreach (var send in sends)
        {
            var day = WaveDateChecks.LocalDate(send);
            if (send.MovedFrom is { } from && seen.Add(send.MessageId))
            {
                items.Add(texts.Format(language, "wave.daysoffMovedItem", send.MessageId, Date(from), from.ToDateTime(TimeOnly.MinValue), Date(day), day.ToDateTime(TimeOnly.MinValue)));
            }
            else if (send.MovedFrom is null && (WaveDateChecks.IsWeekend(day) || plan.IsHoliday(day)) && seen.Add(send.MessageId))
            {
                items.Add(texts.Format(language, "wave.daysoffKeptItem", send.MessageId, Date(day), day.ToDateTime(TimeOnly.MinValue)));
            }
        }
        return items.Count == 0 ? null
            : texts.Format(language, plan.WeekendSends == WeekendPolicy.NextBusinessDay ? "wave.daysoffMoved" : "wave.daysoffKept", string.Join("; ", items));
    }

    private static Verdict Refuse(string text, string detail) => new(text, detail, null);
}
