using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Storage;

/// <summary>
/// The durable state of delivery: planned sends, the outbox of jobs with leases, the delivery log, progress cards and
/// conversation references. SQLite implements it today; an Azure Storage implementation must pass the same contract
/// tests (<c>DeliveryStoreContract</c>).
/// </summary>
public interface IDeliveryStore
{
    /// <summary>
    /// Records planned sends not seen before (by key); known ones keep their state, except a Cancelled one (its message
    /// is back in the plan), which is Pending again. A pending one takes the new due time and template. Returns how many were new.
    /// </summary>
    Task<int> RegisterSendsAsync(IReadOnlyCollection<PlannedSend> sends, CancellationToken cancellationToken);

    /// <summary>Pending sends due at or before <paramref name="nowUtc"/>, oldest first.</summary>
    Task<IReadOnlyList<PlannedSendRecord>> GetDueSendsAsync(DateTimeOffset nowUtc, CancellationToken cancellationToken);

    /// <summary>The stored planned send, or null.</summary>
    Task<PlannedSendRecord?> FindSendAsync(string sendKey, CancellationToken cancellationToken);

    /// <summary>Marks a send expanded (its jobs are in the outbox) or missed.</summary>
    Task MarkSendAsync(string sendKey, PlannedSendState state, int jobCount, string? detail, CancellationToken cancellationToken);

    /// <summary>Missed sends the leads have not been told about.</summary>
    Task<IReadOnlyList<PlannedSendRecord>> GetUnreportedMissedAsync(CancellationToken cancellationToken);

    /// <summary>Records that the leads were told about a missed send.</summary>
    Task MarkMissedReportedAsync(string sendKey, DateTimeOffset atUtc, CancellationToken cancellationToken);

    /// <summary>
    /// The sends that may still send something: pending ones, and expanded ones with queued jobs, each with its number
    /// of queued jobs.
    /// </summary>
    Task<IReadOnlyList<(PlannedSendRecord Send, int QueuedJobs)>> GetOpenSendsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Cancels a send that is still open (see <see cref="GetOpenSendsAsync"/>): its state becomes Cancelled with
    /// <paramref name="reason"/>, and each of its queued jobs ends Skipped with that reason. Returns how many jobs it
    /// skipped, or null when the send was not open (already finished, cancelled or unknown).
    /// </summary>
    Task<int?> CancelSendAsync(string sendKey, string reason, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps <paramref name="content"/> as the content of a send unless it already has one (the first writer wins,
    /// across instances); returns the content the send has now, or null when the send is unknown.
    /// </summary>
    Task<string?> FreezeContentAsync(string sendKey, string content, CancellationToken cancellationToken);

    /// <summary>Adds jobs whose key is new; a known key is left as it is. Returns how many were added.</summary>
    Task<int> EnqueueAsync(IReadOnlyCollection<OutboxJob> jobs, CancellationToken cancellationToken);

    /// <summary>
    /// Leases up to <paramref name="max"/> queued jobs that are due (a lease that expired counts as due), oldest first,
    /// for <paramref name="leaseFor"/>. A leased job is not handed to anyone else until its lease expires.
    /// </summary>
    Task<IReadOnlyList<LeasedJob>> LeaseAsync(string owner, int max, DateTimeOffset nowUtc, TimeSpan leaseFor, CancellationToken cancellationToken);

    /// <summary>Finishes a job: Delivered → Delivered; Skipped → Skipped; anything else → Failed, with the outcome recorded.</summary>
    Task CompleteAsync(string jobKey, DeliveryResult result, CancellationToken cancellationToken);

    /// <summary>Puts a job back in the queue, due at <paramref name="dueUtc"/>, recording this attempt's outcome.</summary>
    Task RescheduleAsync(string jobKey, DateTimeOffset dueUtc, DeliveryResult result, bool countAttempt, bool installRequested, CancellationToken cancellationToken);

    /// <summary>Records many attempts in one go (one transaction where the store has them): each is a complete or a reschedule.</summary>
    Task RecordAsync(IReadOnlyCollection<JobUpdate> updates, CancellationToken cancellationToken);

    /// <summary>The personal conversations of many users at once (by Entra object id); users without one are absent.</summary>
    Task<IReadOnlyDictionary<string, StoredConversation>> FindPersonalConversationsAsync(IReadOnlyCollection<string> userAadObjectIds, CancellationToken cancellationToken);

    /// <summary>Gives leased jobs back (due at <paramref name="dueUtc"/>) without recording an attempt: a dispatcher stopping before it sent them.</summary>
    Task ReleaseAsync(IReadOnlyCollection<string> jobKeys, DateTimeOffset dueUtc, CancellationToken cancellationToken);

    /// <summary>The stored value of a setting, storing <paramref name="value"/> first when there is none.</summary>
    Task<string> GetOrAddSettingAsync(string key, string value, CancellationToken cancellationToken);

    /// <summary>The earliest due time of a queued job, or null when the queue is empty.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    /// <summary>Job counts per wave message, for wave messages with jobs updated at or after <paramref name="sinceUtc"/> or still queued.</summary>
    Task<IReadOnlyList<WaveProgress>> GetProgressAsync(DateTimeOffset sinceUtc, CancellationToken cancellationToken);

    /// <summary>Every job for one recipient (Entra object id, mail address or channel id), newest first.</summary>
    Task<IReadOnlyList<DeliveryLogEntry>> GetDeliveryLogAsync(string target, CancellationToken cancellationToken);

    /// <summary>The people (Entra object ids) a wave message was delivered to 1:1 in one department, and whether any 1:1 job exists for it.</summary>
    Task<(bool HasJobs, IReadOnlyList<string> Delivered)> GetDeliveredPeopleAsync(string waveId, string messageId, string departmentId, CancellationToken cancellationToken);

    /// <summary>
    /// The people a wave message was delivered to 1:1 in one department, each with the time its delivery was recorded,
    /// oldest first. People whose job is still queued, failed or skipped are absent.
    /// </summary>
    Task<IReadOnlyList<PersonalDelivery>> GetPersonalDeliveriesAsync(string waveId, string messageId, string departmentId, CancellationToken cancellationToken);

    /// <summary>One job's log entry by its key, or null.</summary>
    Task<DeliveryLogEntry?> FindJobAsync(string jobKey, CancellationToken cancellationToken);

    /// <summary>The status card of a lead for a wave message, or null.</summary>
    Task<ProgressCard?> FindProgressCardAsync(string waveId, string messageId, string leadId, CancellationToken cancellationToken);

    /// <summary>Stores (or replaces) a lead's status card.</summary>
    Task SaveProgressCardAsync(ProgressCard card, CancellationToken cancellationToken);

    /// <summary>The personal conversation of a user, or null.</summary>
    Task<StoredConversation?> FindPersonalConversationAsync(string userAadObjectId, CancellationToken cancellationToken);

    /// <summary>A conversation by id (a channel, a team), or null.</summary>
    Task<StoredConversation?> FindConversationAsync(string conversationId, CancellationToken cancellationToken);

    /// <summary>The serviceUrl of the most recently updated conversation, or null when the bot knows none.</summary>
    Task<string?> LatestServiceUrlAsync(CancellationToken cancellationToken);

    /// <summary>Stores or refreshes a conversation reference.</summary>
    Task SaveConversationAsync(ConversationReference reference, CancellationToken cancellationToken);

    /// <summary>Marks a conversation unusable (the bot was removed, the chat is gone).</summary>
    Task MarkConversationGoneAsync(string conversationId, CancellationToken cancellationToken);
}
