using static TeamsRolloutBot.Plan.PlanNodeReader;

namespace TeamsRolloutBot.Plan.Rules;

/// <summary>Checks on the expanded schedule: sends outside their wave, outside business hours, on weekends, holidays and daylight-saving changes.</summary>
internal sealed class ScheduleRules(PlanNodeReader r, IReadOnlyDictionary<PlanMessage, MessageSource> sources)
{
    public void CheckSchedule(RolloutPlan plan)
    {
        var seen = new HashSet<string>();
        foreach (var send in ScheduleExpander.Expand(plan))
        {
            var message = send.Message;
            var wave = send.Wave;
            var source = sources[message];
            var where = source.Path;
            var once = $"{wave.Id}/{message.Id}";
            if (!seen.Add(once))
            {
                continue;
            }

            var inWave = wave.OwnMessages is null ? $" in wave '{wave.Id}'" : "";
            var date = WaveDateChecks.LocalDate(send);
            if (WaveDateChecks.IsOutsideWave(send))
            {
                var moved = send.MovedFrom is { } from ? $" (moved from {Day(from)}, a weekend day or holiday)" : "";
                r.Error(source.Offset, $"{where}.offset", $"sends on {Day(date)}{moved}{inWave}, outside the wave ({Day(wave.Start)} to {Day(wave.End)})",
                    $"use an offset from 0d to {wave.DurationDays - 1}d, or give the wave a longer duration:");
                continue;
            }

            if (!plan.BusinessHours.Contains(message.Time))
            {
                r.Warning(source.Time, $"{where}.time", $"sends at {message.Time:HH\\:mm}{inWave}, outside business hours ({plan.BusinessHours.Start:HH\\:mm}-{plan.BusinessHours.End:HH\\:mm})",
                    "pick a time within businessHours, or widen businessHours if this is intended");
            }

            if (send.MovedFrom is null && WaveDateChecks.IsWeekend(date))
            {
                r.Warning(source.Offset, $"{where}.offset", $"sends on {date.DayOfWeek} {Day(date)}{inWave}",
                    "change the offset to a weekday, or set weekendSends: next-business-day");
            }

            if (send.MovedFrom is null && plan.Holidays.FirstOrDefault(h => h.Date == date) is { } holiday)
            {
                r.Warning(source.Offset, $"{where}.offset", $"sends on the holiday {Day(date)}{(holiday.Name is null ? "" : $" ({holiday.Name})")}{inWave}",
                    "change the offset, or set weekendSends: next-business-day to move it to the next business day");
            }

            if (send.TimeAdjustment is { } adjustment)
            {
                r.Warning(source.Time, $"{where}.time", $"{adjustment}{inWave}", "pick a time outside 02:00-03:00 on daylight-saving change days");
            }
        }
    }
}
