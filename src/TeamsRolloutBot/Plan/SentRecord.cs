namespace TeamsRolloutBot.Plan;

/// <summary>A send that already happened, as the delivery store remembers it.</summary>
public sealed record SentRecord(string Key, string Fingerprint, DateTimeOffset SentAt);
