using Microsoft.Extensions.Options;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Plan;

/// <summary>
/// Holds the running plan. Loads it at start, reloads on file change or on request, and never replaces a valid plan with
/// an invalid one: the errors are kept in <see cref="LastErrors"/> and reported through <see cref="Reloaded"/>. With a
/// <see cref="PlanPublisher"/> every valid plan is kept in the store as a numbered version; an invalid file at start runs
/// the last stored version, and with several instances every instance runs the newest published version (polled every
/// <see cref="PlanOptions.PublishedPlanPollInterval"/>).
/// </summary>
public sealed partial class PlanProvider : IHostedService, IDisposable
{
    private readonly PlanOptions options;
    private readonly TimeProvider time;
    private readonly IMessageTemplateRules templates;
    private readonly ILogger<PlanProvider> logger;
    private readonly PlanPublisher? publisher;
    private readonly SemaphoreSlim gate = new(1, 1);
    private FileSystemWatcher? watcher;
    private ITimer? debounce;
    private ITimer? poll;
    private string? lastText;
    private string? lastHash;
    private volatile State state = new(null, [], [], null, null);

    public PlanProvider(IOptions<PlanOptions> options, IHostEnvironment environment, TimeProvider time, IMessageTemplateRules templates, ILogger<PlanProvider> logger,
        PlanPublisher? publisher = null)
    {
        this.publisher = publisher;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(templates);
        this.templates = templates;
        this.options = options.Value;
        this.time = time;
        this.logger = logger;
        PlanPath = ResolvePath(this.options.PlanPath, environment.ContentRootPath);
    }

    /// <summary>Raised after every reload attempt, valid or not (the bot tells the leads when it failed).</summary>
    public event EventHandler<PlanReloadedEventArgs>? Reloaded;

    /// <summary>The absolute path of the plan file in use.</summary>
    public string PlanPath { get; }

    /// <summary>The last valid plan, or null when no valid plan was ever loaded.</summary>
    public RolloutPlan? Current => state.Plan;

    /// <summary>The errors of the last load attempt; empty when it succeeded.</summary>
    public IReadOnlyList<PlanDiagnostic> LastErrors => state.Errors;

    /// <summary>The warnings of the last load attempt.</summary>
    public IReadOnlyList<PlanDiagnostic> LastWarnings => state.Warnings;

    /// <summary>When <see cref="Current"/> was loaded.</summary>
    public DateTimeOffset? LoadedAt => state.LoadedAt;

    /// <summary>The version of <see cref="Current"/> (number, hash, source); null when no plan runs.</summary>
    public RunningPlanVersion? Running => state.Running;

    /// <summary>Finds a relative plan path under the content root, its parent folders, or the app folder.</summary>
    public static string ResolvePath(string path, string contentRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Path.IsPathRooted(path))
        {
            return Path.GetFullPath(path);
        }

        var preferred = Path.GetFullPath(Path.Combine(contentRoot, path));
        for (var folder = new DirectoryInfo(contentRoot); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, path);
            if (File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        var besideApp = Path.Combine(AppContext.BaseDirectory, path);
        return File.Exists(besideApp) ? Path.GetFullPath(besideApp) : preferred;
    }

    /// <summary>Reads and validates the plan file now (the <c>plan reload</c> command). Keeps the running plan when the file is invalid.</summary>
    public Task<PlanLoadResult> ReloadAsync(CancellationToken cancellationToken = default) => LoadAsync(force: true, requestedBy: null, cancellationToken);

    /// <summary>As <see cref="ReloadAsync(CancellationToken)"/>, asked by a lead (Entra object id) who is answered in the chat, so the reload notice skips them.</summary>
    public Task<PlanLoadResult> ReloadAsync(string? requestedBy, CancellationToken cancellationToken) => LoadAsync(force: true, requestedBy, cancellationToken);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(force: true, requestedBy: null, cancellationToken).ConfigureAwait(false);
        if (options.WatchPlanFile)
        {
            StartWatching();
        }
        if (publisher is { Shared: true })
        {
            poll = time.CreateTimer(_ => _ = PollFromTimerAsync(), null, options.PublishedPlanPollInterval, options.PublishedPlanPollInterval);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        StopWatching();
        poll?.Dispose();
        poll = null;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Runs the newest published version when it is newer than the running one (another instance published an edit),
    /// and publishes the running file when the store could not be reached before. The timer calls this every
    /// <see cref="PlanOptions.PublishedPlanPollInterval"/> with several instances. True when the running plan changed.
    /// </summary>
    public async Task<bool> PollPublishedAsync(CancellationToken cancellationToken = default)
    {
        if (publisher is null)
        {
            return false;
        }
        if (state.Running is { Version: null, Source: PlanSource.File })
        {
            // Not stored yet (the store was unreachable): decide again for the file as read.
            await LoadAsync(force: true, requestedBy: null, cancellationToken).ConfigureAwait(false);
            return state.Running is not { Version: null, Source: PlanSource.File };
        }
        PlanReloadedEventArgs? reported = null;
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = state;
            if (await publisher.LatestAsync(cancellationToken).ConfigureAwait(false) is not { } latest
                || (current.Running?.Version is { } running && running >= latest.Version))
            {
                return false;
            }
            if (current.Running is { } same && same.Hash == latest.Hash)
            {
                state = current with { Running = same with { Version = latest.Version } };
                return false;
            }
            var adopted = Adopt(current, latest, latest.Hash == lastHash ? PlanSource.File : PlanSource.Published, current.Errors, current.Warnings);
            if (adopted is null)
            {
                return false;
            }
            reported = new PlanReloadedEventArgs(adopted, state.Plan);
        }
        finally
        {
            gate.Release();
        }
        RaiseReloaded(reported);
        return true;
    }

    public void Dispose()
    {
        StopWatching();
        poll?.Dispose();
        poll = null;
        gate.Dispose();
    }

    private async Task<PlanLoadResult> LoadAsync(bool force, string? requestedBy, CancellationToken cancellationToken)
    {
        PlanReloadedEventArgs? reported = null;
        PlanVersionNotice? notice = null;
        PlanLoadResult result;
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var text = await ReadAsync(cancellationToken).ConfigureAwait(false);
            if (!force && text is not null && text == lastText)
            {
                return new PlanLoadResult(state.Errors.Count == 0 ? state.Plan : null, [.. state.Errors, .. state.Warnings]);
            }

            lastText = text;
            lastHash = text is null ? null : PlanVersionRecorder.HashOf(text);
            result = text is null
                ? new PlanLoadResult(null, [new PlanDiagnostic(PlanSeverity.Error, PlanPath, 1, 1, "", "the plan file cannot be read (missing, or locked by another program)", "check that the file exists at this path, or set Rollout:PlanPath")])
                : PlanLoader.Parse(text, PlanPath, templates);

            var current = state;
            var choice = publisher is null
                ? (result.IsValid ? PlanPublisher.Choice.File(null) : PlanPublisher.Choice.Keep)
                : await publisher.ChooseAsync(text, lastHash, result, current.Plan is not null, PlanPath, cancellationToken).ConfigureAwait(false);
            if (choice.Run is { } stored)
            {
                notice = choice.Notice;
                if (current.Running is { } running && running.Version == stored.Version && running.Hash == stored.Hash)
                {
                    // Runs that version already: nothing changes.
                    state = current with { Errors = [.. result.Errors], Warnings = [.. result.Warnings] };
                    return result;
                }
                if (Adopt(current, stored, choice.Source, [.. result.Errors], [.. result.Warnings]) is { } adopted)
                {
                    reported = new PlanReloadedEventArgs(adopted, state.Plan, requestedBy);
                    return result;
                }
                // The stored text no longer validates (for example after an upgrade): fall back to the file.
                choice = result.IsValid ? PlanPublisher.Choice.File(null) : PlanPublisher.Choice.Keep;
                notice = null;
            }

            if (choice.RunFile)
            {
                state = new State(result.Plan, [], [.. result.Warnings], time.GetUtcNow(), new RunningPlanVersion(choice.FileVersion, lastHash!, PlanSource.File, time.GetUtcNow()));
                Log.PlanLoaded(logger, PlanPath, state.Plan!.Name, state.Plan.Waves.Count, state.Warnings.Count);
            }
            else
            {
                state = current with { Errors = [.. result.Errors], Warnings = [.. result.Warnings] };
                var consequence = current.Plan is null ? "no plan is running" : "the previous plan stays in force";
                var errors = string.Join(Environment.NewLine, state.Errors.Take(10));
                Log.PlanRejected(logger, PlanPath, state.Errors.Count, consequence, errors);
            }

            reported = new PlanReloadedEventArgs(result, state.Plan, requestedBy);
        }
        finally
        {
            gate.Release();
            RaiseReloaded(reported);
            if (notice is not null)
            {
                publisher!.Raise(notice, lastHash);
            }
        }

        return result;
    }

    /// <summary>Runs a stored version (under the gate): the parsed plan, or null (logged) when its text does not validate.</summary>
    private PlanLoadResult? Adopt(State current, PublishedPlan stored, PlanSource source, IReadOnlyList<PlanDiagnostic> fileErrors, IReadOnlyList<PlanDiagnostic> fileWarnings)
    {
        var parsed = PlanLoader.Parse(stored.Content, PlanPath, templates);
        if (!parsed.IsValid)
        {
            Log.StoredPlanInvalid(logger, stored.Version, parsed.Errors.FirstOrDefault()?.ToString() ?? "");
            return null;
        }
        var now = time.GetUtcNow();
        state = new State(parsed.Plan, fileErrors, fileWarnings, now, new RunningPlanVersion(stored.Version, stored.Hash, source, now));
        Log.StoredPlanRuns(logger, stored.Version, source, parsed.Plan!.Name, PlanPath, current.Running?.Version);
        return parsed;
    }

    // Outside the gate, so a handler may itself call ReloadAsync; a failing handler must not undo the reload.
    private void RaiseReloaded(PlanReloadedEventArgs? reported)
    {
        if (reported is null)
        {
            return;
        }
        try
        {
            Reloaded?.Invoke(this, reported);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.HandlerFailed(logger, ex);
        }
    }

    private async Task PollFromTimerAsync()
    {
        try
        {
            await PollPublishedAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not ObjectDisposedException)
        {
            Log.PollFailed(logger, ex);
        }
    }

    private async Task<string?> ReadAsync(CancellationToken cancellationToken)
    {
        // An editor may still hold the file while saving: retry briefly before calling it unreadable.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await File.ReadAllTextAsync(PlanPath, cancellationToken).ConfigureAwait(false);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (DirectoryNotFoundException)
            {
                return null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                if (attempt == 3)
                {
                    Log.PlanUnreadable(logger, PlanPath, ex.Message);
                    return null;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void StartWatching()
    {
        var folder = Path.GetDirectoryName(PlanPath);
        if (folder is null || !Directory.Exists(folder))
        {
            Log.NotWatching(logger, PlanPath);
            return;
        }

        debounce = time.CreateTimer(_ => _ = ReloadFromWatcherAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        watcher = new FileSystemWatcher(folder, Path.GetFileName(PlanPath))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        watcher.Changed += OnFileEvent;
        watcher.Created += OnFileEvent;
        watcher.Deleted += OnFileEvent;
        watcher.Renamed += OnFileEvent;
        watcher.EnableRaisingEvents = true;
    }

    private void StopWatching()
    {
        watcher?.Dispose();
        watcher = null;
        debounce?.Dispose();
        debounce = null;
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e) => debounce?.Change(options.PlanReloadDelay, Timeout.InfiniteTimeSpan);

    private async Task ReloadFromWatcherAsync()
    {
        try
        {
            await LoadAsync(force: false, requestedBy: null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.ReloadFailed(logger, PlanPath, ex);
        }
    }

    private sealed record State(RolloutPlan? Plan, IReadOnlyList<PlanDiagnostic> Errors, IReadOnlyList<PlanDiagnostic> Warnings, DateTimeOffset? LoadedAt, RunningPlanVersion? Running);

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Loaded rollout plan {Path}: '{Name}', {Waves} waves, {Warnings} warnings")]
        public static partial void PlanLoaded(ILogger logger, string path, string name, int waves, int warnings);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Rollout plan {Path} has {Count} errors; {Consequence}:\n{Errors}")]
        public static partial void PlanRejected(ILogger logger, string path, int count, string consequence, string errors);

        [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Cannot read rollout plan {Path}: {Reason}")]
        public static partial void PlanUnreadable(ILogger logger, string path, string reason);

        [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Not watching rollout plan {Path}: its folder does not exist")]
        public static partial void NotWatching(ILogger logger, string path);

        [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "A Reloaded handler of the rollout plan failed")]
        public static partial void HandlerFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "Reloading rollout plan {Path} after a file change failed")]
        public static partial void ReloadFailed(ILogger logger, string path, Exception exception);

        [LoggerMessage(EventId = 4040, Level = LogLevel.Warning, Message = "Running stored rollout plan version {Version} ({Source}) '{Name}' instead of the plan file {Path}; version before: {Before}")]
        public static partial void StoredPlanRuns(ILogger logger, int version, PlanSource source, string name, string path, int? before);

        [LoggerMessage(EventId = 4041, Level = LogLevel.Error, Message = "Stored rollout plan version {Version} does not validate with this version of the bot and is not run: {Error}")]
        public static partial void StoredPlanInvalid(ILogger logger, int version, string error);

        [LoggerMessage(EventId = 4042, Level = LogLevel.Error, Message = "Checking the store for a newer published rollout plan failed")]
        public static partial void PollFailed(ILogger logger, Exception exception);
    }
}
