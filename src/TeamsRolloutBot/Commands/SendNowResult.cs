namespace TeamsRolloutBot.Commands;

/// <summary>What a send-now request came to.</summary>
public sealed record SendNowResult(bool Queued, int Jobs);
