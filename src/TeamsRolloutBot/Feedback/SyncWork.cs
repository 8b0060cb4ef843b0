namespace TeamsRolloutBot.Feedback;

/// <summary>One answer due for copying to the SharePoint list.</summary>
public sealed record SyncWork(StoredAnswer Stored, string CorrelationId, bool PostStarted);
