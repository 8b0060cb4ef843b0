using System.Globalization;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Commands;

/// <summary>
/// Wave control over the shared SQLite file: records each wave's state and start date (table <c>wave_control</c>) and
/// send-now requests (<c>command_sends</c>), which the delivery engine follows through <see cref="WaveStates"/>; counts
/// recipients from the plan and Graph, and delivery progress from the engine's outbox. Without the delivery engine
/// registered, <see cref="DeliveryAvailable"/> is false: states are only recorded and nothing is sent.
/// </summary>
public sealed class LocalWaveControl(SqliteDatabase database, LeadGraphClient graph, IServiceProvider services, [FromKeyedServices(CommandsClock.Key)] TimeProvider time, ILogger<LocalWaveControl> logger) : IWaveControl
{
    /// <summary>True when the delivery engine is part of this app: it reads these states (<see cref="WaveStates"/>).</summary>
    public bool DeliveryAvailable => services.GetService<IDeliveryStore>() is not null;

    public async Task<WaveActionResult> StartAsync(Wave wave, DateOnly? startDate, string actor, CancellationToken cancellationToken)
    {
        var current = await GetStatusAsync(wave, cancellationToken);
        var date = startDate ?? wave.Start;
        if (current.State == WaveState.Started && current.StartDate == date)
        {
            return new(WaveActionOutcome.Unchanged, current);
        }
        return new(WaveActionOutcome.Done, await SaveAsync(wave, WaveState.Started, date, actor, cancellationToken));
    }

    public async Task<WaveActionResult> PauseAsync(Wave wave, string actor, CancellationToken cancellationToken)
    {
        var (current, stored) = await ReadAsync(wave, cancellationToken);
        return current.State switch
        {
            WaveState.Paused => new(WaveActionOutcome.Unchanged, current),
            WaveState.Cancelled => new(WaveActionOutcome.NotPossible, current),
            _ => new(WaveActionOutcome.Done, await SaveAsync(wave, WaveState.Paused, stored, actor, cancellationToken)),
        };
    }

    public async Task<WaveActionResult> ResumeAsync(Wave wave, string actor, CancellationToken cancellationToken)
    {
        var (current, stored) = await ReadAsync(wave, cancellationToken);
        if (current.State != WaveState.Paused)
        {
            return new(current.State == WaveState.Cancelled ? WaveActionOutcome.NotPossible : WaveActionOutcome.Unchanged, current);
        }
        return new(WaveActionOutcome.Done, await SaveAsync(wave, stored is null ? WaveState.Scheduled : WaveState.Started, stored, actor, cancellationToken));
    }

    public async Task<WaveActionResult> CancelAsync(Wave wave, string actor, CancellationToken cancellationToken)
    {
        var (current, stored) = await ReadAsync(wave, cancellationToken);
        return current.State == WaveState.Cancelled
            ? new(WaveActionOutcome.Unchanged, current)
            : new(WaveActionOutcome.Done, await SaveAsync(wave, WaveState.Cancelled, stored, actor, cancellationToken));
    }

    /// <summary>
    /// With the delivery engine: records the request (once per request id) for the engine's next scheduler pass, which
    /// expands and sends it like a scheduled send. Without it: nothing is sent.
    /// </summary>
    public async Task<SendNowResult> SendNowAsync(string requestId, PlanMessage message, IReadOnlyList<Department> departments, string actor, CancellationToken cancellationToken)
    {
        if (!DeliveryAvailable || services.GetService<PlanProvider>()?.Current is not { } plan)
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
        await services.GetRequiredService<WaveStates>().AddSendNowAsync(requestId, wave.Id, message.Id, [.. departments.Select(d => d.Id)], actor, time.GetUtcNow(), cancellationToken);
        var routes = message.Audience == MessageAudience.Both ? 2 : 1;
        return new SendNowResult(true, departments.Count * routes);
    }

    public async Task<WaveStatus> GetStatusAsync(Wave wave, CancellationToken cancellationToken)
    {
        var status = (await ReadAsync(wave, cancellationToken)).Status;
        if (services.GetService<IDeliveryStore>() is not { } store)
        {
            return status;
        }
        var progress = (await store.GetProgressAsync(DateTimeOffset.MinValue, cancellationToken)).Where(p => p.WaveId == wave.Id).ToList();
        return status with
        {
            Deliveries = new DeliveryCounts(progress.Sum(p => p.Delivered), progress.Sum(p => p.Failed), progress.Sum(p => p.Queued), progress.Sum(p => p.Skipped)),
        };
    }

    private async Task<(WaveStatus Status, DateOnly? StoredStart)> ReadAsync(Wave wave, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT state, start_date, updated_at, updated_by FROM wave_control WHERE wave_id = $id";
        select.Parameters.AddWithValue("$id", wave.Id);
        await using var r = await select.ExecuteReaderAsync(cancellationToken);
        if (!await r.ReadAsync(cancellationToken))
        {
            return (new WaveStatus(wave.Id, WaveState.Scheduled, wave.Start, null, null, null), null);
        }
        var state = Enum.Parse<WaveState>(r.GetString(0), ignoreCase: true);
        DateOnly? stored = r.IsDBNull(1) ? null : DateOnly.ParseExact(r.GetString(1), "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var status = new WaveStatus(wave.Id, state, stored ?? wave.Start, DateTimeOffset.Parse(r.GetString(2), CultureInfo.InvariantCulture), r.IsDBNull(3) ? null : r.GetString(3), null);
        return (status, stored);
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
                        people += graph.IsAvailable ? await graph.CountGroupUsersAsync(group, cancellationToken) : throw new GraphUnavailableException("no Graph in local mode");
                    }
                    catch (GraphUnavailableException ex)
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

    private async Task<WaveStatus> SaveAsync(Wave wave, WaveState state, DateOnly? startDate, string actor, CancellationToken cancellationToken)
    {
        // Not while the scheduler expands one of the wave's sends (it re-reads the state under the same lock).
        await using var waveLock = services.GetService<IWaveLocks>() is { } locks ? await locks.AcquireAsync(wave.Id, cancellationToken) : null;
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var upsert = connection.CreateCommand();
        upsert.CommandText = """
            INSERT INTO wave_control (wave_id, state, start_date, updated_at, updated_by) VALUES ($id, $state, $start, $now, $by)
            ON CONFLICT (wave_id) DO UPDATE SET state = excluded.state, start_date = excluded.start_date,
                updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """;
        upsert.Parameters.AddWithValue("$id", wave.Id);
        upsert.Parameters.AddWithValue("$state", state.ToString().ToLowerInvariant());
        upsert.Parameters.AddWithValue("$start", startDate is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : DBNull.Value);
        upsert.Parameters.AddWithValue("$now", now.ToString("O", CultureInfo.InvariantCulture));
        upsert.Parameters.AddWithValue("$by", actor);
        await upsert.ExecuteNonQueryAsync(cancellationToken);
        return new WaveStatus(wave.Id, state, startDate ?? wave.Start, now, actor, null);
    }
}
