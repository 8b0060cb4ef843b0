namespace TeamsRolloutBot.Delivery;

/// <summary>Counts of one wave message's jobs.</summary>
public sealed record WaveProgress(string WaveId, string MessageId, int Total, int Delivered, int Failed, int Skipped, int Queued, DateTimeOffset? LastCompletedUtc)
{
    public int Finished => Delivered + Failed + Skipped;
}
