using System.Globalization;

namespace TeamsRolloutBot.Storage.Sqlite;

/// <summary>Plan versions in the SQLite file (tables <c>plan_versions</c>: loads, <c>published_plans</c>: published plan texts).</summary>
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

    public async Task<PublishedPlan?> LatestPublishedAsync(CancellationToken cancellationToken) =>
        (await database.QueryAsync(Select + " ORDER BY version DESC LIMIT 1", ReadPublished, cancellationToken)).SingleOrDefault();

    public async Task<PublishedPlan?> FindPublishedAsync(string hash, CancellationToken cancellationToken) =>
        (await database.QueryAsync(Select + " WHERE hash = $hash ORDER BY version DESC LIMIT 1", ReadPublished, cancellationToken, ("$hash", hash))).SingleOrDefault();

    public async Task<bool> PublishAsync(PublishedPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        // One statement: the version must follow the newest; the primary key refuses a second version N.
        return await database.ExecuteAsync("""
            INSERT OR IGNORE INTO published_plans (version, hash, content, published_at, instance, plan_name)
            SELECT $version, $hash, $content, $at, $instance, $name
            WHERE (SELECT COALESCE(MAX(version), 0) FROM published_plans) = $version - 1
            """, cancellationToken, ("$version", plan.Version), ("$hash", plan.Hash), ("$content", plan.Content),
            ("$at", SqliteTime.Format(plan.PublishedAt)), ("$instance", plan.Instance), ("$name", plan.PlanName)) == 1;
    }

    private const string Select = "SELECT version, hash, content, published_at, instance, plan_name FROM published_plans";

    private static PublishedPlan ReadPublished(Microsoft.Data.Sqlite.SqliteDataReader r) =>
        new(r.GetInt32(0), r.GetString(1), r.GetString(2), SqliteTime.Parse(r.GetString(3)), r.GetString(4), r.GetStringOrNull(5));
}
