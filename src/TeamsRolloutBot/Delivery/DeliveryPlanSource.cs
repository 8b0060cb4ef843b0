using System.Globalization;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Delivery;

/// <summary>
/// The current plan as delivery sees it: the schedule expanded into <see cref="PlannedSend"/>s (recomputed when the
/// plan reloads), its departments and leads. With a demo time scale the schedule is compressed around the moment the
/// demo first started (kept in the store, so a restart continues the same demo).
/// </summary>
public sealed partial class DeliveryPlanSource(
    PlanProvider plans, IDeliveryStore store, IOptions<DemoOptions> demo, IOptions<BotOptions> bot, TimeProvider time, ILogger<DeliveryPlanSource> logger,
    TeamsRolloutBot.Commands.IWaveStateStore waveStates)
{
    private readonly Lock _gate = new();
    private RolloutPlan? _source;
    private string? _statesKey;
    private DeliveryPlan? _plan;
    private DateTimeOffset? _anchor;

    /// <summary>The override used by tests and the benchmark instead of the plan file.</summary>
    public DeliveryPlan? Override { get; set; }

    /// <summary>The effective time scale (1 unless in local Playground mode).</summary>
    public double TimeScale => bot.Value.LocalPlayground && demo.Value.DemoTimeScale > 1 ? demo.Value.DemoTimeScale : 1;

    /// <summary>The plan to deliver now, or null when there is no valid plan.</summary>
    public async Task<DeliveryPlan?> CurrentAsync(CancellationToken cancellationToken)
    {
        // The leads' wave commands (Commands/IWaveStateStore): held waves send nothing, moved waves start on their new date.
        var states = await waveStates.ReadAllAsync(cancellationToken);
        var sendNow = await waveStates.ReadSendNowAsync(cancellationToken);
        var statesKey = string.Join(";", states.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value.State}/{s.Value.Start}"))
            + "|" + sendNow.Count.ToString(CultureInfo.InvariantCulture);
        if (Override is { } overridden)
        {
            return WithoutHeld(overridden, states);
        }
        var current = plans.Current;
        if (current is null)
        {
            return null;
        }
        lock (_gate)
        {
            if (ReferenceEquals(current, _source) && _statesKey == statesKey && _plan is not null)
            {
                return _plan;
            }
        }
        if (demo.Value.DemoTimeScale > 1 && !bot.Value.LocalPlayground)
        {
            LogDemoIgnored(logger);
        }
        var scale = TimeScale;
        if (scale > 1 && _anchor is null)
        {
            var stored = await store.GetOrAddSettingAsync("demo.anchor", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture), cancellationToken);
            _anchor = DateTimeOffset.Parse(stored, CultureInfo.InvariantCulture);
        }
        var converted = Convert(TeamsRolloutBot.Commands.WaveStates.WithStarts(current, states), scale, _anchor);
        var plan = WithoutHeld(converted with { Sends = [.. converted.Sends, .. SendNowSends(current, sendNow)] }, states);
        lock (_gate)
        {
            _source = current;
            _statesKey = statesKey;
            _plan = plan;
        }
        return plan;
    }

    /// <summary>The leads' <c>send ... now</c> requests as sends due when they were asked for (each key unique per request).</summary>
    private static IEnumerable<PlannedSend> SendNowSends(RolloutPlan plan, IReadOnlyList<TeamsRolloutBot.Commands.WaveStates.SendNow> requests)
    {
        foreach (var request in requests)
        {
            if (plan.FindWave(request.WaveId)?.EffectiveMessages.FirstOrDefault(m => m.Id == request.MessageId) is not { } message)
            {
                continue;
            }
            IEnumerable<SendAudience> routes = message.Audience switch
            {
                MessageAudience.Channel => [SendAudience.Channel],
                MessageAudience.Members => [SendAudience.Members],
                MessageAudience.Both => [SendAudience.Channel, SendAudience.Members],
                _ => [SendAudience.Email],
            };
            foreach (var department in request.DepartmentIds)
            {
                foreach (var route in routes)
                {
                    yield return new PlannedSend(TeamsRolloutBot.Commands.WaveStates.SendNowKey(request, department, route), request.WaveId, message.Id,
                        department, route, request.CreatedAt, message.Template, message.Phase.ToString());
                }
            }
        }
    }

    /// <summary>The plan without the sends of paused or cancelled waves: they stay registered and unsent until resumed.</summary>
    private static DeliveryPlan WithoutHeld(DeliveryPlan plan, IReadOnlyDictionary<string, (TeamsRolloutBot.Commands.WaveState State, DateOnly? Start)> states) =>
        states.Values.Any(s => TeamsRolloutBot.Commands.WaveStates.IsHeld(s.State))
            ? plan with { Sends = [.. plan.Sends.Where(s => !(states.TryGetValue(s.WaveId, out var state) && TeamsRolloutBot.Commands.WaveStates.IsHeld(state.State)))] }
            : plan;

    /// <summary>Maps the plan's schedule; with <paramref name="scale"/> above 1 the offsets from the first send shrink by that factor.</summary>
    public static DeliveryPlan Convert(RolloutPlan plan, double scale, DateTimeOffset? anchor)
    {
        var schedule = ScheduleExpander.Expand(plan);
        var first = schedule.Count == 0 ? DateTimeOffset.MinValue : schedule.Min(s => s.Utc);
        var sends = schedule.Select(s => new PlannedSend(
            s.Key, s.WaveId, s.MessageId, s.DepartmentId, s.Audience,
            scale > 1 && anchor is { } start ? Compress(s.Utc, first, start, scale) : s.Utc,
            s.Message.Template, s.Message.Phase.ToString())).ToList();
        var departments = plan.Departments.ToDictionary(d => d.Id, d => new DepartmentTarget(
            d.Id, d.Name.Get(plan.DefaultLanguage, plan.DefaultLanguage), d.TeamId, d.ChannelId, d.Members?.GroupId, d.Members?.Users ?? [], d.Language),
            StringComparer.Ordinal);
        var approvals = plan.Waves.Where(w => w.ApprovalRequired).ToDictionary(w => w.Id, w => w.ApprovalAhead, StringComparer.Ordinal);
        return new DeliveryPlan(plan.Name, sends, departments, plan.Leads.Users, plan.DefaultLanguage, plan.Leads.GroupId, plan.Languages,
            approvals.Count > 0 ? approvals : null);
    }

    /// <summary>anchor + (due − first) / scale.</summary>
    public static DateTimeOffset Compress(DateTimeOffset due, DateTimeOffset first, DateTimeOffset anchor, double scale) =>
        anchor + TimeSpan.FromTicks((long)((due - first).Ticks / scale));

    [LoggerMessage(EventId = 6300, Level = LogLevel.Warning, Message = "Rollout:DemoTimeScale is ignored: it is honoured only with Bot:LocalPlayground=true. The schedule runs in real time.")]
    private static partial void LogDemoIgnored(ILogger logger);
}
