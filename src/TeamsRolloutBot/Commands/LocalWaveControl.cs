using TeamsRolloutBot.Graph;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Commands;

/// <summary>
/// Wave control over the wave state store (<see cref="IWaveStateStore"/>: the SQLite file, or Table Storage shared by
/// every instance): records each wave's state and start date and send-now requests, which the delivery engine follows;
/// counts recipients from the plan and Graph, and delivery progress from the engine's outbox. A state change is a
/// conditional write on the state read before, so two leads acting at once (on two instances) never undo each other's
/// cancel.
/// </summary>
public sealed class LocalWaveControl(IWaveStateStore states, IDeliveryStore deliveries, LeadGraphClient graph, PlanProvider plans, IWaveLocks locks, [FromKeyedServices(CommandsClock.Key)] TimeProvider time, ILogger<LocalWaveControl> logger) : IWaveControl
{

    public Task<WaveActionResult> StartAsync(Wave wave, DateOnly? startDate, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(wave, actor, (current, _) =>
            current.State == WaveState.Started && current.StartDate == (startDate ?? wave.Start)
                ? (WaveActionOutcome.Unchanged, null, null)
                : (WaveActionOutcome.Done, WaveState.Started, startDate ?? wave.Start), cancellationToken);

    public Task<WaveActionResult> PauseAsync(Wave wave, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(wave, actor, (current, stored) => current.State switch
        {
            WaveState.Paused => (WaveActionOutcome.Unchanged, null, null),
            WaveState.Cancelled => (WaveActionOutcome.NotPossible, null, null),
            _ => (WaveActionOutcome.Done, WaveState.Paused, stored),
        }, cancellationToken);

    public Task<WaveActionResult> ResumeAsync(Wave wave, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(wave, actor, (current, stored) => current.State != WaveState.Paused
            ? (current.State == WaveState.Cancelled ? WaveActionOutcome.NotPossible : WaveActionOutcome.Unchanged, null, null)
            : (WaveActionOutcome.Done, stored is null ? WaveState.Scheduled : WaveState.Started, stored), cancellationToken);

    public Task<WaveActionResult> CancelAsync(Wave wave, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(wave, actor, (current, stored) => current.State == WaveState.Cancelled
            ? (WaveActionOutcome.Unchanged, null, null)
            : (WaveActionOutcome.Done, WaveState.Cancelled, stored), cancellationToken);

    /// <summary>
    /// Records the request (once per request id) for the delivery engine's next scheduler pass, which expands and sends
    /// it like a scheduled send.
    /// </summary>
    public async Task<SendNowResult> SendNowAsync(string requestId, PlanMessage message, IReadOnlyList<Department> departments, string actor, CancellationToken cancellationToken)
    {
        if (plans.Current is not { } plan)
        {
            return new SendNowResult(false, 0);
        }
        // The wave whose card texts apply: one that sends this message to the first department, else the first that sends it.
        var wave = plan.Waves.FirstOrDefault(w => w.EffectiveMessages.Any(m => m.Id == message.Id) && w.DepartmentIds.Contains(departments[0].Id))
            ?? plan.Waves.FirstOrDefault(w => w.EffectiveMessages.Any(m => m.Id == message.Id));
        if (wave is null)
        {
            return new SendNowResult(false, 0);
        }
        await states.AddSendNowAsync(requestId, wave.Id, message.Id, [.. departments.Select(d => d.Id)], actor, time.GetUtcNow(), cancellationToken);
        var routes = message.Audience == MessageAudience.Both ? 2 : 1;
        return new SendNowResult(true, departments.Count * routes);
    }

    public async Task<WaveStatus> GetStatusAsync(Wave wave, CancellationToken cancellationToken)
    {
        var status = (await ReadAsync(wave, cancellationToken)).Status;
        var progress = (await deliveries.GetProgressAsync(DateTimeOffset.MinValue, cancellationToken)).Where(p => p.WaveId == wave.Id).ToList();
        return status with
        {
            Deliveries = new DeliveryCounts(progress.Sum(p => p.Delivered), progress.Sum(p => p.Failed), progress.Sum(p => p.Queued), progress.Sum(p => p.Skipped)),
        };
    }

    private async Task<(WaveStatus Status, DateOnly? StoredStart)> ReadAsync(Wave wave, CancellationToken cancellationToken)
    {
        var (status, stored, _) = await ReadStoredAsync(wave, cancellationToken);
        return (status, stored);
    }

    private async Task<(WaveStatus Status, DateOnly? StoredStart, string? Version)> ReadStoredAsync(Wave wave, CancellationToken cancellationToken) =>
        await states.FindAsync(wave.Id, cancellationToken) is { } s
            ? (new WaveStatus(wave.Id, s.State, s.Start ?? wave.Start, s.UpdatedAt, s.UpdatedBy, null), s.Start, s.Version)
            : (new WaveStatus(wave.Id, WaveState.Scheduled, wave.Start, null, null, null), null, null);

    /// <summary>
    /// Reads the wave, lets <paramref name="decide"/> pick the new state from it, and writes it only if nobody changed
    /// the wave in between; otherwise decides again on the newer state (another lead's cancel wins over a late pause).
    /// </summary>
    private async Task<WaveActionResult> ChangeAsync(Wave wave, string actor,
        Func<WaveStatus, DateOnly?, (WaveActionOutcome Outcome, WaveState? State, DateOnly? Start)> decide, CancellationToken cancellationToken)
    {
        // Not while the scheduler expands one of the wave's sends (it re-reads the state under the same lock).
        await using var waveLock = await locks.AcquireAsync(wave.Id, cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            var (current, stored, version) = await ReadStoredAsync(wave, cancellationToken);
            var (outcome, state, start) = decide(current, stored);
            if (state is not { } next)
            {
                return new(outcome, current);
            }
            var now = time.GetUtcNow();
            if (await states.TrySaveAsync(new StoredWaveState(wave.Id, next, start, now, actor), version, cancellationToken))
            {
                return new(outcome, new WaveStatus(wave.Id, next, start ?? wave.Start, now, actor, null));
            }
            if (attempt == 10)
            {
                throw new InvalidOperationException($"Wave {wave.Id} kept changing while it was being saved.");
            }
        }
    }

    public async Task<RecipientCount> CountRecipientsAsync(IReadOnlyList<PlanMessage> messages, IReadOnlyList<Department> departments, CancellationToken cancellationToken)
    {
        // People reached: the departments' members, also for a channel post (it is posted where they all read it).
        var toMembers = messages.Count > 0;
        var channelMessages = messages.Count(m => m.Audience is MessageAudience.Channel or MessageAudience.Both);
        var people = 0;
        var uncounted = new List<string>();
        var seenUsers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var department in toMembers ? departments : [])
        {
            switch (department.Members)
            {
                case { GroupId: { } group }:
                    try
                    {
                        people += graph.IsAvailable ? await graph.CountGroupUsersAsync(group, cancellationToken) : throw new GraphCallException(GraphOutcome.Permanent, null, "no Graph in local mode");
                    }
                    catch (GraphCallException ex)
                    {
                        Log.CountFailed(logger, department.Id, ex.Message);
                        people += department.ExpectedSize ?? 0;
                        uncounted.Add(department.Id);
                    }
                    break;
                case { Users: { Count: > 0 } users }:
                    people += users.Count(seenUsers.Add);
                    break;
                default:
                    people += department.ExpectedSize ?? 0;
                    uncounted.Add(department.Id);
                    break;
            }
        }
        var channels = departments.Count(d => d.ChannelId is not null) * channelMessages;
        return new RecipientCount(people, channels, uncounted.Count == 0, uncounted);
    }
}
