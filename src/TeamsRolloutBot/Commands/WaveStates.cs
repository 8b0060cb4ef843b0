using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Commands;

/// <summary>What the delivery engine derives from the wave states: which waves are held, which start on another date.</summary>
public static class WaveStates
{
    /// <summary>SQL selecting the ids of held waves, for queries over the delivery tables in the same SQLite database.</summary>
    public const string HeldWaveIdsSql = "SELECT wave_id FROM wave_control WHERE state IN ('paused', 'cancelled')";

    /// <summary>A message a lead sent now, outside the schedule (<c>send ... now</c>), for the delivery engine to expand.</summary>
    public sealed record SendNow(string RequestId, string WaveId, string MessageId, IReadOnlyList<string> DepartmentIds, DateTimeOffset CreatedAt);

    /// <summary>The delivery key of one route of a send-now request: unique per request, so it never collides with the schedule.</summary>
    public static string SendNowKey(SendNow send, string departmentId, SendAudience route) =>
        $"{send.WaveId}/{send.MessageId}/{departmentId}/{route.ToString().ToLowerInvariant()}/now-{send.RequestId}";

    /// <summary>True for states in which nothing of the wave is sent.</summary>
    public static bool IsHeld(WaveState state) => state is WaveState.Paused or WaveState.Cancelled;

    /// <summary>The ids of the held waves in <paramref name="states"/>.</summary>
    public static IReadOnlySet<string> Held(IReadOnlyDictionary<string, (WaveState State, DateOnly? Start)> states) =>
        states.Where(s => IsHeld(s.Value.State)).Select(s => s.Key).ToHashSet(StringComparer.Ordinal);

    /// <summary>The plan with the start dates the leads set.</summary>
    public static RolloutPlan WithStarts(RolloutPlan plan, IReadOnlyDictionary<string, (WaveState State, DateOnly? Start)> states) =>
        plan with
        {
            Waves = [.. plan.Waves.Select(w => states.TryGetValue(w.Id, out var s) && s.Start is { } start && start != w.Start ? w with { Start = start } : w)],
        };
}
