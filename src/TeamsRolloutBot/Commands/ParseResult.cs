namespace TeamsRolloutBot.Commands;

/// <summary>What parsing a text gave: a command, a usage problem (text key of the usage line), or an unknown word with the nearest command.</summary>
public sealed record ParseResult(ParsedCommand? Command, CommandKind? UsageOf = null, string? UnknownWord = null, string? Suggestion = null, string? Problem = null);
