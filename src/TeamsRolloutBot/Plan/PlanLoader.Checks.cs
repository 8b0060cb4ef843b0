namespace TeamsRolloutBot.Plan;

/// <content>Checks across entries: duplicate ids, routes, overlapping waves, and the expanded schedule.</content>
public static partial class PlanLoader
{
    private sealed partial class Reader
    {
        // ---- cross checks ----------------------------------------------------------------------------------------

        private void CheckDuplicates<T>(IEnumerable<T> items, Func<T, string> id, Func<T, SourceLocation> location, string path, string what)
        {
            var seen = new Dictionary<string, SourceLocation>();
            foreach (var item in items)
            {
                if (seen.TryGetValue(id(item), out var first))
                {
                    Error(location(item), $"{path}({id(item)})", $"duplicate {what} id '{id(item)}' (first used at line {first.Line})", $"give every {what} in {path} its own id");
                }
                else
                {
                    seen[id(item)] = location(item);
                }
            }
        }

        private void CheckDepartmentRoutes(List<Department> departments, List<Wave> waves)
        {
            var reported = new HashSet<(string, string)>();
            foreach (var wave in waves)
            {
                foreach (var message in wave.EffectiveMessages)
                {
                    foreach (var department in departments.Where(d => wave.DepartmentIds.Contains(d.Id)))
                    {
                        var needsChannel = message.Audience is MessageAudience.Channel or MessageAudience.Both;
                        var needsMembers = message.Audience is MessageAudience.Members or MessageAudience.Both or MessageAudience.Email;
                        if (needsChannel && department.ChannelId is null && department.Members is not null && reported.Add((department.Id, "channel")))
                        {
                            Error(department.Location, $"departments({department.Id})", $"department '{department.Id}' has no channel, but message '{message.Id}' of wave '{wave.Id}' posts to its channel",
                                "add team: and channel: to the department, or change the message's audience to members");
                        }

                        if (needsMembers && department.Members is null && department.ChannelId is not null && reported.Add((department.Id, "members")))
                        {
                            Error(department.Location, $"departments({department.Id})", $"department '{department.Id}' has no members, but message '{message.Id}' of wave '{wave.Id}' goes to its members ({Audience(message.Audience)})",
                                "add members: { group: <Entra group id> } to the department, or change the message's audience to channel");
                        }
                    }
                }
            }
        }

        /// <summary>A department may be in one wave with non-introduction messages at a time (see docs/plan-format.md).</summary>
        private void CheckOverlaps(List<Department> departments, List<Wave> waves)
        {
            foreach (var department in departments)
            {
                var running = waves.Where(w => w.DepartmentIds.Contains(department.Id) && !w.IsIntroductionOnly).OrderBy(w => w.Start).ToList();
                for (var i = 0; i < running.Count; i++)
                {
                    for (var j = i + 1; j < running.Count; j++)
                    {
                        var (a, b) = (running[i], running[j]);
                        if (b.Start <= a.End)
                        {
                            Error(b.Location, $"waves({b.Id}).start",
                                $"department '{department.Id}' is in wave '{a.Id}' ({Day(a.Start)} to {Day(a.End)}) and in wave '{b.Id}' ({Day(b.Start)} to {Day(b.End)}) at the same time",
                                $"start wave '{b.Id}' on {Day(a.End.AddDays(1))} or later, shorten wave '{a.Id}' with duration:, or take '{department.Id}' out of one of them");
                        }
                    }
                }
            }
        }

        private void CheckSchedule(RolloutPlan plan)
        {
            var seen = new HashSet<string>();
            foreach (var send in ScheduleExpander.Expand(plan))
            {
                var message = send.Message;
                var wave = send.Wave;
                var source = messageSources[message];
                var where = source.Path;
                var once = $"{wave.Id}/{message.Id}";
                if (!seen.Add(once))
                {
                    continue;
                }

                var inWave = wave.OwnMessages is null ? $" in wave '{wave.Id}'" : "";
                var date = DateOnly.FromDateTime(send.Local.DateTime);
                if (!wave.Contains(date))
                {
                    var moved = send.MovedFrom is { } from ? $" (moved from {Day(from)}, a weekend day or holiday)" : "";
                    Error(source.Offset, $"{where}.offset", $"sends on {Day(date)}{moved}{inWave}, outside the wave ({Day(wave.Start)} to {Day(wave.End)})",
                        $"use an offset from 0d to {wave.DurationDays - 1}d, or give the wave a longer duration:");
                    continue;
                }

                if (!plan.BusinessHours.Contains(message.Time))
                {
                    Warning(source.Time, $"{where}.time", $"sends at {message.Time:HH\\:mm}{inWave}, outside business hours ({plan.BusinessHours.Start:HH\\:mm}-{plan.BusinessHours.End:HH\\:mm})",
                        "pick a time within businessHours, or widen businessHours if this is intended");
                }

                if (send.MovedFrom is null && date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
                {
                    Warning(source.Offset, $"{where}.offset", $"sends on {date.DayOfWeek} {Day(date)}{inWave}",
                        "change the offset to a weekday, or set weekendSends: next-business-day");
                }

                if (send.MovedFrom is null && plan.Holidays.FirstOrDefault(h => h.Date == date) is { } holiday)
                {
                    Warning(source.Offset, $"{where}.offset", $"sends on the holiday {Day(date)}{(holiday.Name is null ? "" : $" ({holiday.Name})")}{inWave}",
                        "change the offset, or set weekendSends: next-business-day to move it to the next business day");
                }

                if (send.TimeAdjustment is { } adjustment)
                {
                    Warning(source.Time, $"{where}.time", $"{adjustment}{inWave}", "pick a time outside 02:00-03:00 on daylight-saving change days");
                }
            }
        }
    }
}
