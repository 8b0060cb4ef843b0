namespace TeamsRolloutBot.Storage;

/// <summary>
/// Whether this instance runs the loops that must run once per deployment (the scheduler's expansions and missed-send
/// reports, progress cards, feedback reminders and summaries, the SharePoint copy, the thread-reply catch-up).
/// With SQLite there is one instance and it always leads; with AzureStorage a blob lease elects one.
/// </summary>
public interface ILeadership
{
    /// <summary>True while this instance holds the leadership.</summary>
    bool IsLeader { get; }

    /// <summary>Completes when this instance is the leader (at once when it already is).</summary>
    Task WaitForLeadershipAsync(CancellationToken cancellationToken);
}
