namespace TeamsRolloutBot.Plan.Rules;

/// <summary>Where a plan message is written: its field path and the positions of its offset and time.</summary>
internal sealed record MessageSource(string Path, SourceLocation Offset, SourceLocation Time);
