using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Storage;

/// <summary>
/// Decides, for every load of this instance's plan file, which plan runs, and keeps the last valid plan in the
/// <see cref="IPlanVersionStore"/> as a numbered version. A valid file whose text is new is published as the next version
/// and runs. With one instance (SQLite) the file is the plan: a valid file whose text differs from the newest version is
/// always published. With several (<paramref name="shared"/>: AzureStorage) "newer" means "never published before": a
/// file equal to an older version, or an edit that lost the race for the next number, does not overwrite the newest
/// version; that version runs and the leads are told once. An invalid or missing file at start (no plan running) runs
/// the newest version from the store. See docs/plan-format.md, "Invalid plan files and several instances".
/// </summary>
public sealed partial class PlanPublisher(IPlanVersionStore store, bool shared, TimeProvider time, ILogger<PlanPublisher> logger)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _told = [];
    private readonly List<PlanVersionNotice> _raised = [];
    private EventHandler<PlanVersionNotice>? _noticed;

    /// <summary>True when several instances share the store (AzureStorage), so each one polls for newer versions.</summary>
    public bool Shared => shared;

    /// <summary>This instance's name in published versions and notices.</summary>
    public string Instance { get; init; } = PlanVersionRecorder.InstanceName;

    /// <summary>
    /// Subscribes to the notices for the leads and returns those raised before (the plan loads before the notifier
    /// starts), so none is lost.
    /// </summary>
    public IReadOnlyList<PlanVersionNotice> Listen(EventHandler<PlanVersionNotice> handler)
    {
        lock (_gate)
        {
            _noticed += handler;
            return [.. _raised];
        }
    }

    /// <summary>Ends a <see cref="Listen"/>.</summary>
    public void Unlisten(EventHandler<PlanVersionNotice> handler)
    {
        lock (_gate)
        {
            _noticed -= handler;
        }
    }

    /// <summary>The newest published version, or null when there is none or the store cannot be read (logged).</summary>
    public async Task<PublishedPlan?> LatestAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await store.LatestPublishedAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            LogStoreFailed(logger, ex);
            return null;
        }
    }

    /// <summary>
    /// Which plan runs after this instance read its plan file (<paramref name="text"/>, null when unreadable) with
    /// <paramref name="result"/>; <paramref name="running"/> is the plan in force before. When the store cannot be
    /// reached a valid file runs unpublished (the poll publishes it later) and an invalid one changes nothing.
    /// </summary>
    internal async Task<Choice> ChooseAsync(string? text, string? hash, PlanLoadResult result, bool running, string planFile, CancellationToken cancellationToken)
    {
        try
        {
            if (!result.IsValid || text is null || hash is null)
            {
                // A running plan stays in force (PlanReloadNotifier tells the leads); without one, the store's last valid plan runs.
                if (running || await store.LatestPublishedAsync(cancellationToken) is not { } last)
                {
                    return Choice.Keep;
                }
                LogRunsStored(logger, planFile, last.Version);
                return Choice.Stored(last, PlanSource.Store,
                    new PlanVersionNotice(PlanVersionNoticeKind.InvalidFileRunsStored, last.Version, Instance, planFile, result.Errors.FirstOrDefault(), null));
            }

            for (var attempt = 0; attempt < 3; attempt++)
            {
                var latest = await store.LatestPublishedAsync(cancellationToken);
                if (latest is not null && latest.Hash == hash)
                {
                    return Choice.File(latest.Version);
                }
                var older = latest is null || !shared ? null : await store.FindPublishedAsync(hash, cancellationToken);
                if (older is not null)
                {
                    // An instance started with an older file (not redeployed): the newest version stays.
                    LogFileIsOlder(logger, planFile, older.Version, latest!.Version);
                    return Choice.Stored(latest, PlanSource.Published,
                        new PlanVersionNotice(PlanVersionNoticeKind.FileDiffersFromPublished, latest.Version, Instance, planFile, null, older.Version));
                }
                var next = (latest?.Version ?? 0) + 1;
                if (await store.PublishAsync(new PublishedPlan(next, hash, text, time.GetUtcNow(), Instance, result.Plan!.Name), cancellationToken))
                {
                    LogPublished(logger, next, hash, planFile);
                    return Choice.File(next);
                }
                if (shared)
                {
                    // Lost the race: another instance published a version first, and that one runs.
                    var winner = await store.LatestPublishedAsync(cancellationToken);
                    if (winner is null)
                    {
                        continue;
                    }
                    if (winner.Hash == hash)
                    {
                        return Choice.File(winner.Version);
                    }
                    LogLostRace(logger, planFile, winner.Version, winner.Instance);
                    return Choice.Stored(winner, PlanSource.Published,
                        new PlanVersionNotice(PlanVersionNoticeKind.FileDiffersFromPublished, winner.Version, Instance, planFile, null, null));
                }
            }
            return Choice.File(null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            LogStoreFailed(logger, ex);
            return result.IsValid ? Choice.File(null) : Choice.Keep;
        }
    }

    /// <summary>Tells the listeners once per instance, kind, file text and version.</summary>
    internal void Raise(PlanVersionNotice notice, string? fileHash)
    {
        EventHandler<PlanVersionNotice>? handlers;
        lock (_gate)
        {
            if (!_told.Add($"{notice.Kind}|{notice.Version}|{fileHash}"))
            {
                return;
            }
            _raised.Add(notice);
            handlers = _noticed;
        }
        try
        {
            handlers?.Invoke(this, notice);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogNoticeFailed(logger, ex);
        }
    }

    /// <summary>The outcome of <see cref="ChooseAsync"/>: run the file (with its version), run a stored version, or keep what runs.</summary>
    internal sealed record Choice(PublishedPlan? Run, int? FileVersion, bool RunFile, PlanSource Source, PlanVersionNotice? Notice)
    {
        public static Choice Keep { get; } = new(null, null, false, PlanSource.File, null);

        public static Choice File(int? version) => new(null, version, true, PlanSource.File, null);

        public static Choice Stored(PublishedPlan plan, PlanSource source, PlanVersionNotice notice) => new(plan, null, false, source, notice);
    }

    [LoggerMessage(EventId = 9140, Level = LogLevel.Information, Message = "Published the rollout plan {Path} as version {Version} ({Hash})")]
    private static partial void LogPublished(ILogger logger, int version, string hash, string path);

    [LoggerMessage(EventId = 9141, Level = LogLevel.Warning,
        Message = "The rollout plan file {Path} is invalid or missing and no plan was running: running the last valid plan from the store, version {Version}")]
    private static partial void LogRunsStored(ILogger logger, string path, int version);

    [LoggerMessage(EventId = 9142, Level = LogLevel.Warning,
        Message = "The rollout plan file {Path} equals the older published version {Older}: not publishing it; running the newest version {Version}. Edit the plan and redeploy it to every instance.")]
    private static partial void LogFileIsOlder(ILogger logger, string path, int older, int version);

    [LoggerMessage(EventId = 9143, Level = LogLevel.Warning,
        Message = "The rollout plan file {Path} lost the race to publish: {Instance} published version {Version} first, which runs. Edit the plan and redeploy it to every instance.")]
    private static partial void LogLostRace(ILogger logger, string path, int version, string instance);

    [LoggerMessage(EventId = 9144, Level = LogLevel.Warning, Message = "The published plan versions cannot be read or written; this instance runs its own plan file for now")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 9145, Level = LogLevel.Error, Message = "A listener of the plan version notices failed")]
    private static partial void LogNoticeFailed(ILogger logger, Exception exception);
}
