using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Commands;

/// <summary>Finding the waves, departments and messages a command names in the plan, and the schedule as the leads changed it.</summary>
internal static class PlanLookup
{
    public static Wave? FindWave(RolloutPlan plan, string id) => plan.Waves.FirstOrDefault(w => string.Equals(w.Id, id, StringComparison.OrdinalIgnoreCase));

    public static IReadOnlyList<Department> Departments(RolloutPlan plan, Wave wave) =>
        [.. wave.DepartmentIds.Select(plan.FindDepartment).OfType<Department>()];

    public static string DepartmentNames(RolloutPlan plan, Wave wave, string language) =>
        string.Join(", ", Departments(plan, wave).Select(d => d.Name.Get(language, plan.DefaultLanguage)));

    /// <summary>A message by id, with the first wave that sends it.</summary>
    public static (PlanMessage Message, Wave? Wave)? FindMessage(RolloutPlan plan, string id)
    {
        foreach (var wave in plan.Waves)
        {
            if (wave.EffectiveMessages.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.OrdinalIgnoreCase)) is { } message)
            {
                return (message, wave);
            }
        }
        return plan.SharedMessages.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.OrdinalIgnoreCase)) is { } shared ? (shared, null) : null;
    }

    public static IEnumerable<string> MessageIds(RolloutPlan plan) =>
        plan.Waves.SelectMany(w => w.EffectiveMessages).Concat(plan.SharedMessages).Select(m => m.Id).Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every wave's status, by wave id.</summary>
    public static async Task<Dictionary<string, WaveStatus>> StatusesAsync(this IWaveControl waves, RolloutPlan plan, CancellationToken cancellationToken)
    {
        var statuses = new Dictionary<string, WaveStatus>();
        foreach (var wave in plan.Waves)
        {
            statuses[wave.Id] = await waves.GetStatusAsync(wave, cancellationToken);
        }
        return statuses;
    }

    /// <summary>The schedule with the start dates the leads set (wave start on another date).</summary>
    public static IReadOnlyList<ScheduledSend> Effective(RolloutPlan plan, IReadOnlyDictionary<string, WaveStatus> statuses) =>
        ScheduleExpander.Expand(plan with
        {
            Waves = [.. plan.Waves.Select(w => statuses.TryGetValue(w.Id, out var s) && s.StartDate != w.Start ? w with { Start = s.StartDate } : w)],
        });

    /// <summary>Whether the wave's sends still go out (the delivery engine holds paused and cancelled waves).</summary>
    public static bool Sends(WaveState state) => state is WaveState.Scheduled or WaveState.Started;

    public static CommandReply UnknownWave(CommandTexts texts, string language, RolloutPlan plan, string id) =>
        CommandReply.Message(texts.Format(language, "unknown.wave", CommandFormat.Truncate(id, 40), string.Join(", ", plan.Waves.Select(w => $"`{w.Id}`"))));

    public static CommandReply UnknownMessage(CommandTexts texts, string language, RolloutPlan plan, string id) =>
        CommandReply.Message(texts.Format(language, "unknown.message", CommandFormat.Truncate(id, 40), string.Join(", ", MessageIds(plan).Select(m => $"`{m}`"))));

    /// <summary>A wave or department that is neither; <paramref name="shown"/> is the id as the answer shows it.</summary>
    public static CommandReply UnknownTarget(CommandTexts texts, string language, RolloutPlan plan, string shown) =>
        CommandReply.Message(texts.Format(language, "unknown.target", shown,
            string.Join(", ", plan.Waves.Select(w => $"`{w.Id}`")), string.Join(", ", plan.Departments.Select(d => $"`{d.Id}`"))));
}
