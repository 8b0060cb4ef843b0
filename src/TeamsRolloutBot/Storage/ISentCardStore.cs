using TeamsRolloutBot.Delivery;

namespace TeamsRolloutBot.Storage;

/// <summary>
/// The cards the bot sent to Teams (where they are, what they said) and the leads' corrections of them, plus the
/// notices of messages changed after sending. SQLite and Azure Tables implement it; both pass <c>SentCardStoreContract</c>.
/// </summary>
public interface ISentCardStore
{
    /// <summary>Records a sent card by its job key; a job sent again (after a crash) replaces its record.</summary>
    Task RecordSentAsync(SentCard card, CancellationToken cancellationToken);

    /// <summary>The sent cards of one plan message (case-insensitive), or of every message when null, oldest first.</summary>
    Task<IReadOnlyList<SentCard>> GetSentAsync(string? messageId, CancellationToken cancellationToken);

    /// <summary>Records a correction's outcome; <paramref name="fingerprint"/> replaces the stored one when given (an update).</summary>
    Task RecordCorrectionAsync(SentCard card, CorrectionOutcome outcome, string? fingerprint, string? detail, DateTimeOffset atUtc, CancellationToken cancellationToken);

    /// <summary>Stores a notice once: true when it is new (the leads are to be told), false when it was stored before.</summary>
    Task<bool> TryAddNoticeAsync(string key, string messageId, DateTimeOffset atUtc, CancellationToken cancellationToken);

    /// <summary>A stored notice, or null.</summary>
    Task<CorrectionNotice?> FindNoticeAsync(string key, CancellationToken cancellationToken);

    /// <summary>Records the lead's decision on a notice once: false when it was decided before (the first decision stays).</summary>
    Task<bool> DecideNoticeAsync(string key, string decision, string decidedBy, DateTimeOffset atUtc, CancellationToken cancellationToken);
}
