namespace TeamsRolloutBot.Commands;

/// <summary>
/// The approvals of waves whose plan says <c>approval: required</c>, shared by every instance. A change is a conditional
/// write on the version read before, so two leads approving at once (or a reminder and a click) act once.
/// </summary>
public interface IApprovalStore
{
    /// <summary>One wave's approval, or null when none is stored.</summary>
    Task<WaveApproval?> FindAsync(string waveId, CancellationToken cancellationToken);

    /// <summary>Every stored approval.</summary>
    Task<IReadOnlyList<WaveApproval>> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="approval"/> if the stored one is still at <paramref name="expectedVersion"/> (null: none
    /// stored yet). False when another writer changed it first: read again and decide again.
    /// </summary>
    Task<bool> TrySaveAsync(WaveApproval approval, string? expectedVersion, CancellationToken cancellationToken);
}
