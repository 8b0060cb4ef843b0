using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Commands;

/// <summary>A wave state a lead set, with the version the store needs for a conditional write.</summary>
/// <param name="Version">Opaque store version (SQLite counter, Table Storage ETag); null for a wave never stored.</param>
public sealed record StoredWaveState(string WaveId, WaveState State, DateOnly? Start, DateTimeOffset UpdatedAt, string? UpdatedBy, string? Version = null);
