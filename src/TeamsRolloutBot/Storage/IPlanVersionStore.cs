namespace TeamsRolloutBot.Storage;

/// <summary>
/// The plan versions instances loaded, so instances sharing one store can see whether they run the same plan
/// (each instance reads its own copy of the plan file), and the published valid plans: numbered versions of the plan
/// text that every instance runs, and that an instance whose file is invalid at start falls back to.
/// </summary>
public interface IPlanVersionStore
{
    /// <summary>Appends a load.</summary>
    Task RecordAsync(PlanVersion version, CancellationToken cancellationToken);

    /// <summary>The newest load of every instance that recorded one, newest first.</summary>
    Task<IReadOnlyList<PlanVersion>> LatestPerInstanceAsync(CancellationToken cancellationToken);

    /// <summary>The published plan with the highest version, or null when none was published yet.</summary>
    Task<PublishedPlan?> LatestPublishedAsync(CancellationToken cancellationToken);

    /// <summary>The newest published version whose text has this hash, or null when that text was never published.</summary>
    Task<PublishedPlan?> FindPublishedAsync(string hash, CancellationToken cancellationToken);

    /// <summary>
    /// Publishes <paramref name="plan"/> as its <see cref="PublishedPlan.Version"/>, only when that version does not exist
    /// yet and the newest one is the version before it (none for version 1). False when another publication came first:
    /// two instances never both become version N.
    /// </summary>
    Task<bool> PublishAsync(PublishedPlan plan, CancellationToken cancellationToken);
}
