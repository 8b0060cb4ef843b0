namespace TeamsRolloutBot.Commands;

/// <summary>
/// Where the approval of one wave's first send stands: the content it is for (<see cref="Fingerprint"/> of the first
/// message), the cards sent to the leads, the decision and the reminders. <see cref="Cards"/> is opaque to the store.
/// </summary>
/// <param name="Version">Opaque store version (SQLite counter, Table Storage ETag); null for an approval never stored.</param>
public sealed record WaveApproval(
    string WaveId,
    string Fingerprint,
    string State,
    DateTimeOffset? CardsSentAt,
    string? Cards,
    string? DecidedBy,
    string? DecidedByName,
    DateTimeOffset? DecidedAt,
    DateTimeOffset? RemindedAt,
    int Reminders,
    string? Version = null)
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Held = "held";

    public bool IsApproved => State == Approved;
}
