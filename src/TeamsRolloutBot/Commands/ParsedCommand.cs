namespace TeamsRolloutBot.Commands;

/// <summary>A parsed command: its kind and its arguments (ids as typed, keywords normalised to English).</summary>
public sealed record ParsedCommand(CommandKind Kind, IReadOnlyList<string> Args)
{
    /// <summary>The argument at <paramref name="index"/>, or null.</summary>
    public string? Arg(int index) => index < Args.Count ? Args[index] : null;

    /// <summary>The command in its canonical English form, as the audit log and buttons use it.</summary>
    public string Canonical => Kind == CommandKind.Send && Args.Count == 3
        ? $"send {Args[0]} to {Args[1]} now"
        : CommandParser.CanonicalName(Kind) + (Args.Count > 0 ? " " + string.Join(' ', Args) : "");

    /// <summary>Help and whoami are for everyone; the rest is for leads.</summary>
    public bool IsLeadOnly => Kind is not (CommandKind.Help or CommandKind.WhoAmI);

    /// <summary>Commands that change state (and are written to the audit log).</summary>
    public bool ChangesState => Kind is CommandKind.PlanReload or CommandKind.WaveStart or CommandKind.WavePause
        or CommandKind.WaveResume or CommandKind.WaveCancel or CommandKind.Send or CommandKind.Export or CommandKind.FeedbackSetupList
        or CommandKind.DeliveriesRetry or CommandKind.Update or CommandKind.Retract or CommandKind.Approve or CommandKind.Hold;
}
