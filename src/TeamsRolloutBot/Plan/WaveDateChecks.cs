namespace TeamsRolloutBot.Plan;

/// <summary>
/// The plan's rules on wave dates (overlap rule, window, weekend and holiday days), shared by the plan's validation
/// (<c>CrossEntryRules</c>, <c>ScheduleRules</c>) and a lead's <c>wave start</c> on another date.
/// </summary>
public static class WaveDateChecks
{
    /// <summary>
    /// Every pair of department waves that share a department and a day, the earlier-starting wave first. A department
    /// may be in one wave with non-introduction messages at a time (see docs/plan-format.md).
    /// </summary>
    public static IEnumerable<WaveOverlap> Overlaps(IEnumerable<Department> departments, IReadOnlyList<Wave> waves)
    {
        foreach (var department in departments)
        {
            var running = waves.Where(w => w.DepartmentIds.Contains(department.Id) && !w.IsIntroductionOnly).OrderBy(w => w.Start).ToList();
            for (var i = 0; i < running.Count; i++)
            {
                for (var j = i + 1; j < running.Count; j++)
                {
                    if (running[j].Start <= running[i].End)
                    {
                        yield return new WaveOverlap(department, running[i], running[j]);
                    }
                }
            }
        }
    }

    /// <summary>True when the send's local day (after any move to the next business day) is outside its wave's window.</summary>
    public static bool IsOutsideWave(ScheduledSend send) => !send.Wave.Contains(LocalDate(send));

    /// <summary>The send's local day.</summary>
    public static DateOnly LocalDate(ScheduledSend send) => DateOnly.FromDateTime(send.Local.DateTime);

    /// <summary>True for a Saturday or Sunday.</summary>
    public static bool IsWeekend(DateOnly date) => date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
}
