namespace TeamsRolloutBot.Protocol;

/// <summary>
/// An inbound body read by <see cref="ActivityReader"/>: the activity, or a problem sentence and the offending JSON
/// paths (for the 400 problem+json <c>errors</c> member).
/// </summary>
public sealed record ActivityReadResult(Activity? Activity, string? Detail, Dictionary<string, string[]>? Errors)
{
    public static ActivityReadResult Refused(string path, string detail) => new(null, detail, new() { [path] = [detail] });
}
