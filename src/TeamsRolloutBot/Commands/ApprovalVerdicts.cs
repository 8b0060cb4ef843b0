namespace TeamsRolloutBot.Commands;

/// <summary>
/// What one scheduler pass may send of the waves that need approval: <see cref="Waiting"/> waves send nothing (except
/// a lead's <c>send … now</c>); an approved wave's sends count as late only from <see cref="ApprovedAt"/> on.
/// </summary>
public sealed record ApprovalVerdicts(IReadOnlySet<string> Waiting, IReadOnlyDictionary<string, DateTimeOffset> ApprovedAt)
{
    public static readonly ApprovalVerdicts None = new(new HashSet<string>(), new Dictionary<string, DateTimeOffset>());
}
