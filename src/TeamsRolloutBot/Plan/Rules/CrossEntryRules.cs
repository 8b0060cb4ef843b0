using static TeamsRolloutBot.Plan.PlanNodeReader;

namespace TeamsRolloutBot.Plan.Rules;

/// <summary>Checks across entries: duplicate ids, departments a message cannot reach, and overlapping waves.</summary>
internal sealed class CrossEntryRules(PlanNodeReader r)
{
    public void CheckDuplicates<T>(IEnumerable<T> items, Func<T, string> id, Func<T, SourceLocation> location, string path, string what)
    {
        var seen = new Dictionary<string, SourceLocation>();
        foreach (var item in items)
        {
            if (seen.TryGetValue(id(item), out var first))
            {
                r.Error(location(item), $"{path}({id(item)})", $"duplicate {what} id '{id(item)}' (first used at line {first.Line})", $"give every {what} in {path} its own id");
            }
            else
            {
                seen[id(item)] = location(item);
            }
        }
    }

    public void CheckDepartmentRoutes(List<Department> departments, List<Wave> waves)
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
                        r.Error(department.Location, $"departments({department.Id})", $"department '{department.Id}' has no channel, but message '{message.Id}' of wave '{wave.Id}' posts to its channel",
                            "add team: and channel: to the department, or change the message's audience to members");
                    }

                    if (needsMembers && department.Members is null && department.ChannelId is not null && reported.Add((department.Id, "members")))
                    {
                        r.Error(department.Location, $"departments({department.Id})", $"department '{department.Id}' has no members, but message '{message.Id}' of wave '{wave.Id}' goes to its members ({Audience(message.Audience)})",
                            "add members: { group: <Entra group id> } to the department, or change the message's audience to channel");
                    }
                }
            }
        }
    }

    /// <summary>A department may be in one wave with non-introduction messages at a time (see docs/plan-format.md).</summary>
    public void CheckOverlaps(List<Department> departments, List<Wave> waves)
    {
        foreach (var (department, a, b) in WaveDateChecks.Overlaps(departments, waves))
        {
            r.Error(b.Location, $"waves({b.Id}).start",
                $"department '{department.Id}' is in wave '{a.Id}' ({Day(a.Start)} to {Day(a.End)}) and in wave '{b.Id}' ({Day(b.Start)} to {Day(b.End)}) at the same time",
                $"start wave '{b.Id}' on {Day(a.End.AddDays(1))} or later, shorten wave '{a.Id}' with duration:, or take '{department.Id}' out of one of them");
        }
    }

    private static string Audience(MessageAudience audience) => audience.ToString().ToLowerInvariant();
}
