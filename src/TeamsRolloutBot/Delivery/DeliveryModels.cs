using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Delivery;

/// <summary>
/// One concrete send of the plan: a message of a wave for one department and audience, due at one UTC instant.
/// <see cref="Key"/> is stable across restarts and plan reloads (wave, message, department, audience).
/// </summary>
public sealed record PlannedSend(
    string Key,
    string WaveId,
    string MessageId,
    string DepartmentId,
    SendAudience Audience,
    DateTimeOffset DueUtc,
    string Template,
    string Phase = "",
    string? Subject = null);

/// <summary>Where a department's messages go: its team channel and the people in it; <see cref="Language"/> is its channel language (null: the plan default).</summary>
public sealed record DepartmentTarget(
    string Id,
    string Name,
    string? TeamId,
    string? ChannelId,
    string? MemberGroupId,
    IReadOnlyList<string> MemberUsers,
    string? Language = null);

/// <summary>
/// What the delivery layer needs from the plan: the sends, the departments and the leads to report to.
/// <see cref="Languages"/> are the plan's languages (null: every language the bot has texts for).
/// </summary>
public sealed record DeliveryPlan(
    string Name,
    IReadOnlyList<PlannedSend> Sends,
    IReadOnlyDictionary<string, DepartmentTarget> Departments,
    IReadOnlyList<string> Leads,
    string DefaultLanguage = "nl",
    string? LeadGroupId = null,
    IReadOnlyList<string>? Languages = null);

/// <summary>The channel a job goes out on.</summary>
public enum DeliveryKind
{
    /// <summary>A new thread in a team channel; the target is the channel id.</summary>
    Channel,
    /// <summary>A 1:1 chat; the target is the user's Entra object id.</summary>
    Personal,
    /// <summary>An e-mail through Graph; the target is the mail address.</summary>
    Email,
}

/// <summary>The one recorded outcome of a delivery attempt (the connector's outcomes plus the delivery layer's own).</summary>
public enum DeliveryOutcome
{
    Delivered,
    Throttled,
    RecipientGone,
    BotBlocked,
    Transient,
    Permanent,
    /// <summary>Deliberately not sent, with the reason (for example e-mail in local Playground mode).</summary>
    Skipped,
}

/// <summary>Where a job stands: waiting (or leased by a dispatcher), or finished one way or another.</summary>
public enum JobState
{
    Queued,
    Delivered,
    Failed,
    Skipped,
}

/// <summary>Where a planned send stands in the scheduler.</summary>
public enum PlannedSendState
{
    Pending,
    Expanded,
    Missed,
}

/// <summary>A job to put in the outbox. <see cref="Key"/> is the idempotency key: enqueuing it twice adds it once.</summary>
public sealed record OutboxJob(
    string Key,
    string SendKey,
    string WaveId,
    string MessageId,
    string DepartmentId,
    DeliveryKind Kind,
    string Target,
    string? Language,
    DateTimeOffset DueUtc);

/// <summary>A job a dispatcher holds until <see cref="LeaseUntil"/>; after that another dispatcher may take it.</summary>
public sealed record LeasedJob(OutboxJob Job, int Attempts, bool InstallRequested, DateTimeOffset LeaseUntil);

/// <summary>The result of one attempt, as recorded.</summary>
public sealed record DeliveryResult(
    DeliveryOutcome Outcome,
    string? Detail = null,
    int? StatusCode = null,
    string? ConversationId = null,
    string? ActivityId = null);

/// <summary>A planned send as the store keeps it.</summary>
public sealed record PlannedSendRecord(PlannedSend Send, PlannedSendState State, int JobCount, string? Detail, DateTimeOffset? ReportedAt);

/// <summary>Counts of one wave message's jobs.</summary>
public sealed record WaveProgress(string WaveId, string MessageId, int Total, int Delivered, int Failed, int Skipped, int Queued, DateTimeOffset? LastCompletedUtc)
{
    public int Finished => Delivered + Failed + Skipped;
}

/// <summary>One line of the delivery log: what happened to one job.</summary>
public sealed record DeliveryLogEntry(
    string Key,
    string WaveId,
    string MessageId,
    string DepartmentId,
    DeliveryKind Kind,
    string Target,
    JobState State,
    DeliveryOutcome? Outcome,
    string? Detail,
    int Attempts,
    string? ConversationId,
    string? ActivityId,
    DateTimeOffset UpdatedUtc);

/// <summary>The status card the bot keeps up to date for one lead and one wave message.</summary>
public sealed record ProgressCard(string WaveId, string MessageId, string LeadId, string ConversationId, string ServiceUrl, string ActivityId, bool Final);

/// <summary>One attempt's result to record: finished, or back in the queue at <see cref="RetryAt"/>.</summary>
public sealed record JobUpdate(string Key, DeliveryResult Result, DateTimeOffset? RetryAt = null, bool CountAttempt = false, bool InstallRequested = false);
