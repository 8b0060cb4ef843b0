using System.Globalization;
using System.Security.Cryptography;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Storage;

/// <summary>
/// Records every plan this instance loads (<see cref="PlanProvider.Reloaded"/>) in the <see cref="IPlanVersionStore"/>
/// and warns when another instance's newest load has a different plan file content.
/// </summary>
public sealed partial class PlanVersionRecorder(IPlanVersionStore store, PlanProvider plans, TimeProvider time, ILogger<PlanVersionRecorder> logger) : PlanReloadListener(plans)
{
    /// <summary>This instance's name: the App Service or Container Apps instance, else the host name.</summary>
    public static string InstanceName { get; } =
        Environment.GetEnvironmentVariable("WEBSITE_INSTANCE_ID") is { Length: > 0 } appService ? appService
        : Environment.GetEnvironmentVariable("CONTAINER_APP_REPLICA_NAME") is { Length: > 0 } replica ? replica
        : Environment.MachineName;

    /// <summary>
    /// Records that <paramref name="instance"/> loaded <paramref name="plan"/> with file hash <paramref name="hash"/>
    /// and returns the other instances whose newest load differs (also logged as a warning).
    /// </summary>
    public async Task<IReadOnlyList<PlanVersion>> RecordAsync(string hash, RolloutPlan plan, string instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await store.RecordAsync(new PlanVersion(hash, instance, time.GetUtcNow(), plan.Name, plan.Waves.Count), cancellationToken);
        var others = (await store.LatestPerInstanceAsync(cancellationToken))
            .Where(v => !string.Equals(v.Instance, instance, StringComparison.Ordinal) && !string.Equals(v.Hash, hash, StringComparison.Ordinal))
            .ToList();
        if (others.Count > 0)
        {
            LogDifferentPlans(logger, instance, Short(hash), string.Join(", ", others.Select(o =>
                $"{o.Instance} runs {Short(o.Hash)} (loaded {o.LoadedAt.ToString("u", CultureInfo.InvariantCulture)})")));
        }
        return others;
    }

    /// <summary>The SHA-256 of a plan file, lowercase hex.</summary>
    public static string HashOf(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The SHA-256 of a plan file's text as UTF-8, lowercase hex (the hash of a published version).</summary>
    public static string HashOf(string text) => HashOf(System.Text.Encoding.UTF8.GetBytes(text));

    protected override void OnReloaded(object? sender, PlanReloadedEventArgs e)
    {
        // The running plan's text, which is the published version's when the file differs from it.
        if (!e.Succeeded || e.Current is not { } plan || Plans.Running is not { } running)
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await RecordAsync(running.Hash, plan, InstanceName, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogRecordFailed(logger, ex);
            }
        });
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;

    [LoggerMessage(EventId = 9112, Level = LogLevel.Warning,
        Message = "Instances run different rollout plans: this instance ({Instance}) loaded plan {Hash}; {Others}. Deploy the same plan file to every instance (if an instance no longer runs, ignore it).")]
    private static partial void LogDifferentPlans(ILogger logger, string instance, string hash, string others);

    [LoggerMessage(EventId = 9113, Level = LogLevel.Warning, Message = "Recording the loaded plan version failed")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception);
}
