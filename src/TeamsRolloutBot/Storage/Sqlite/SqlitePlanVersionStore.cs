using System.Globalization;

namespace TeamsRolloutBot.Storage.Sqlite;

/// <summary>Plan versions in the SQLite file (table <c>plan_versions</c>).</summary>
public sealed class SqlitePlanVersionStore(SqliteDatabase database) : IPlanVersionStore
{
    public Task RecordAsync(PlanVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        return database.ExecuteAsync("INSERT INTO plan_versions (hash, instance, loaded_at, plan_name, wave_count) VALUES ($hash, $instance, $at, $name, $waves)",
            cancellationToken, ("$hash", version.Hash), ("$instance", version.Instance),
            ("$at", version.LoadedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)), ("$name", version.PlanName), ("$waves", version.WaveCount));
    }

    public async Task<IReadOnlyList<PlanVersion>> LatestPerInstanceAsync(CancellationToken cancellationToken) =>
        await database.QueryAsync("""
            SELECT hash, instance, loaded_at, plan_name, wave_count FROM plan_versions
            WHERE id IN (SELECT MAX(id) FROM plan_versions GROUP BY instance) ORDER BY id DESC
            """, r => new PlanVersion(r.GetString(0), r.GetString(1), DateTimeOffset.Parse(r.GetString(2), CultureInfo.InvariantCulture),
                r.GetStringOrNull(3), r.GetInt32(4)), cancellationToken);
}
