namespace TeamsRolloutBot.Commands;

/// <summary>A send that waits for the lead's confirmation.</summary>
public sealed record PendingConfirmation(
    string Id,
    string Command,
    int? Recipients,
    string RequestedBy,
    string? RequestedByName,
    DateTimeOffset ExpiresAt,
    string State,
    string? DecidedByName,
    DateTimeOffset? DecidedAt,
    string? Result);
