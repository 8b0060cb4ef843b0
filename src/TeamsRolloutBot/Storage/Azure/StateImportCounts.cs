namespace TeamsRolloutBot.Storage.Azure;

/// <summary>What the one-time copy of the command and feedback state carried over.</summary>
public sealed record StateImportCounts(int Waves, int Confirmations, int Audit, int Conversations, int Answers, int ThreadReplies);
