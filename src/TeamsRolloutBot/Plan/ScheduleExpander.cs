using System.Globalization;

namespace TeamsRolloutBot.Plan;

/// <summary>Turns a plan into concrete send times. Pure and deterministic: the same plan gives the same list.</summary>
public static class ScheduleExpander
{
    public static IReadOnlyList<ScheduledSend> Expand(RolloutPlan plan)
    {
        var sends = new List<ScheduledSend>();
        for (var w = 0; w < plan.Waves.Count; w++)
        {
            var wave = plan.Waves[w];
            foreach (var message in wave.EffectiveMessages)
            {
                var planned = wave.Start.AddDays(message.OffsetDays);
                var date = planned;
                if (plan.WeekendSends == WeekendPolicy.NextBusinessDay)
                {
                    while (WaveDateChecks.IsWeekend(date) || plan.IsHoliday(date))
                    {
                        date = date.AddDays(1);
                    }
                }

                var (utc, adjustment) = ToUtc(date, message.Time, plan.TimeZone);
                var local = TimeZoneInfo.ConvertTime(utc, plan.TimeZone);
                foreach (var departmentId in wave.DepartmentIds)
                {
                    if (plan.FindDepartment(departmentId) is not { } department)
                    {
                        continue;
                    }

                    foreach (var audience in Routes(message.Audience))
                    {
                        sends.Add(new ScheduledSend(
                            ScheduledSend.MakeKey(wave.Id, message.Id, department.Id, audience),
                            wave, message, department, audience, local, utc, date == planned ? null : planned, adjustment));
                    }
                }
            }
        }

        // Order: time, then plan order (waves, departments as listed), then route. List.Sort is not stable, so sort by index too.
        var waveIndex = plan.Waves.Select((w, i) => (w.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var departmentIndex = plan.Departments.Select((d, i) => (d.Id, i)).ToDictionary(x => x.Id, x => x.i);
        return sends
            .Select((s, i) => (Send: s, Index: i))
            .OrderBy(x => x.Send.Utc)
            .ThenBy(x => waveIndex[x.Send.WaveId])
            .ThenBy(x => x.Index)
            .Select(x => x.Send)
            .ToList();
    }

    /// <summary>
    /// A local wall-clock time to its instant. In a spring-forward gap the time moves forward by the gap (02:30 becomes 03:30);
    /// in the repeated autumn hour the first occurrence (still summer time) is taken.
    /// </summary>
    public static (DateTimeOffset Utc, string? Adjustment) ToUtc(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var wall = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(wall))
        {
            var before = zone.GetUtcOffset(wall.AddHours(-12));
            var utc = new DateTimeOffset(DateTime.SpecifyKind(wall - before, DateTimeKind.Utc));
            var shifted = TimeZoneInfo.ConvertTime(utc, zone);
            return (utc, string.Create(CultureInfo.InvariantCulture,
                $"{wall:yyyy-MM-dd HH:mm} does not exist in {zone.Id} (clocks go forward); sends at {shifted:HH:mm} local time"));
        }

        if (zone.IsAmbiguousTime(wall))
        {
            var first = zone.GetAmbiguousTimeOffsets(wall).Max();
            var utc = new DateTimeOffset(DateTime.SpecifyKind(wall - first, DateTimeKind.Utc));
            return (utc, string.Create(CultureInfo.InvariantCulture,
                $"{wall:yyyy-MM-dd HH:mm} happens twice in {zone.Id} (clocks go back); sends at the first one, {utc:HH:mm} UTC"));
        }

        var offset = zone.GetUtcOffset(wall);
        return (new DateTimeOffset(DateTime.SpecifyKind(wall - offset, DateTimeKind.Utc)), null);
    }

    private static IEnumerable<SendAudience> Routes(MessageAudience audience) => audience switch
    {
        MessageAudience.Channel => [SendAudience.Channel],
        MessageAudience.Members => [SendAudience.Members],
        MessageAudience.Both => [SendAudience.Channel, SendAudience.Members],
        _ => [SendAudience.Email],
    };
}
