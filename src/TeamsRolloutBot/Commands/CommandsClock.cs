namespace TeamsRolloutBot.Commands;

/// <summary>The key of the <see cref="TimeProvider"/> the commands use (tests replace it with a fake clock).</summary>
public static class CommandsClock
{
    public const string Key = "commands";
}
