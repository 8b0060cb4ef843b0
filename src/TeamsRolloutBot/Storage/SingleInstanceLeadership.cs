namespace TeamsRolloutBot.Storage;

/// <summary>The single instance of a SQLite deployment: always the leader.</summary>
public sealed class SingleInstanceLeadership : ILeadership
{
    public bool IsLeader => true;

    public Task WaitForLeadershipAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
