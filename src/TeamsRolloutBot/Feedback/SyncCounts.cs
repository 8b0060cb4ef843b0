namespace TeamsRolloutBot.Feedback;

/// <summary>How far the SharePoint copy is: answers synced, waiting, and waiting after at least one failure.</summary>
public sealed record SyncCounts(int Synced, int Pending, int Failing);
