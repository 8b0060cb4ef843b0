namespace TeamsRolloutBot.Plan;

/// <summary>One send after reconciling: its state, the planned send (null when removed) and the sent record (null when due).</summary>
public sealed record ReconciledSend(string Key, SendState State, ScheduledSend? Send, SentRecord? Record);
