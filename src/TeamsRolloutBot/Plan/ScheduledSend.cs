namespace TeamsRolloutBot.Plan;

/// <summary>
/// One concrete send: a message of a wave to one department over one route, at a local time and its UTC instant.
/// <see cref="Key"/> is stable across re-expansion and plan edits that keep the ids, so delivery records can be keyed by it.
/// </summary>
public sealed record ScheduledSend(
    string Key,
    Wave Wave,
    PlanMessage Message,
    Department Department,
    SendAudience Audience,
    DateTimeOffset Local,
    DateTimeOffset Utc,
    DateOnly? MovedFrom,
    string? TimeAdjustment)
{
    public string WaveId => Wave.Id;

    public string MessageId => Message.Id;

    public string DepartmentId => Department.Id;

    /// <summary>Changes when what the message says changes (template, parameters, texts), not when its time does.</summary>
    public string Fingerprint => Message.Fingerprint;

    public static string MakeKey(string waveId, string messageId, string departmentId, SendAudience audience) =>
        $"{waveId}/{messageId}/{departmentId}/{audience.ToString().ToLowerInvariant()}";
}
