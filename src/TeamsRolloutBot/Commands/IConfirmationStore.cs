namespace TeamsRolloutBot.Commands;

/// <summary>
/// Sends that wait for the lead's confirmation. Deciding is conditional on the confirmation still being pending, so a
/// double click, a redelivered invoke or two instances handling the same click act once; only the asking lead decides.
/// </summary>
public interface IConfirmationStore
{
    /// <summary>Stores a new pending confirmation and returns its id.</summary>
    Task<string> CreateAsync(string command, int? recipients, string requestedBy, string? requestedByName, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>
    /// Flips a pending, unexpired confirmation requested by <paramref name="decidedBy"/> to <paramref name="state"/>; true
    /// for exactly one caller. The others read what happened with <see cref="FindAsync"/>.
    /// </summary>
    Task<bool> TryDecideAsync(string id, string state, string decidedBy, string? decidedByName, CancellationToken cancellationToken);

    Task SetResultAsync(string id, string result, CancellationToken cancellationToken);

    /// <summary>A confirmation by id, or null.</summary>
    Task<PendingConfirmation?> FindAsync(string id, CancellationToken cancellationToken);
}
