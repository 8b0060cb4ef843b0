namespace TeamsRolloutBot.Storage;

/// <summary>
/// The durable queue of replies the bot owes (<see cref="Conversations.ReplySender"/>): a reply that failed inside the
/// inbound request waits here for its retries instead of holding the request. SQLite and Azure Tables implement it.
/// </summary>
public interface IReplyOutbox
{
    /// <summary>Adds a reply; adding the same id twice keeps the first.</summary>
    Task AddAsync(PendingReply reply, CancellationToken cancellationToken);

    /// <summary>
    /// Takes up to <paramref name="max"/> replies due at <paramref name="nowUtc"/>, oldest first, and moves their due time
    /// to <paramref name="nowUtc"/> + <paramref name="leaseFor"/>, so no other sender (or instance) takes them meanwhile.
    /// </summary>
    Task<IReadOnlyList<PendingReply>> LeaseDueAsync(DateTimeOffset nowUtc, int max, TimeSpan leaseFor, CancellationToken cancellationToken);

    /// <summary>Removes a reply that was sent or given up.</summary>
    Task RemoveAsync(string id, CancellationToken cancellationToken);

    /// <summary>Counts one more failed attempt and sets the next due time.</summary>
    Task RescheduleAsync(string id, DateTimeOffset dueUtc, string reason, CancellationToken cancellationToken);

    /// <summary>How many replies wait.</summary>
    Task<int> CountAsync(CancellationToken cancellationToken);
}
