namespace TeamsRolloutBot.Storage;

/// <summary>
/// The plan versions instances loaded, so instances sharing one store can see whether they run the same plan
/// (each instance reads its own copy of the plan file).
/// </summary>
public interface IPlanVersionStore
{
    /// <summary>Appends a load.</summary>
    Task RecordAsync(PlanVersion version, CancellationToken cancellationToken);

    /// <summary>The newest load of every instance that recorded one, newest first.</summary>
    Task<IReadOnlyList<PlanVersion>> LatestPerInstanceAsync(CancellationToken cancellationToken);
}
