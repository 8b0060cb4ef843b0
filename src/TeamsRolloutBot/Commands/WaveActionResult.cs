namespace TeamsRolloutBot.Commands;

/// <summary>What a wave action came to, and the wave's status after it.</summary>
public sealed record WaveActionResult(WaveActionOutcome Outcome, WaveStatus Status);
