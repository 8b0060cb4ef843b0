namespace TeamsRolloutBot.Delivery;

/// <summary>
/// The leads were told once that a message changed after it was sent (<see cref="Key"/>: the message and the new cards'
/// fingerprints); <see cref="Decision"/> is what a lead chose (<c>update</c> or <c>leave</c>), null while undecided.
/// </summary>
public sealed record CorrectionNotice(string Key, string MessageId, DateTimeOffset CreatedUtc, string? Decision, string? DecidedBy, DateTimeOffset? DecidedUtc);
