using System.Globalization;
using TeamsRolloutBot.Commands;

namespace TeamsRolloutBot.Storage.Sqlite;

/// <summary>
/// Confirmations in the SQLite file (table <c>command_confirmations</c>). Deciding is one conditional UPDATE
/// (<c>WHERE state = 'pending'</c>).
/// </summary>
public sealed class SqliteConfirmationStore(SqliteDatabase database, [FromKeyedServices(CommandsClock.Key)] TimeProvider time) : IConfirmationStore
{
    public async Task<string> CreateAsync(string command, int? recipients, string requestedBy, string? requestedByName, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        var now = time.GetUtcNow();
        await database.ExecuteAsync("""
            INSERT INTO command_confirmations (id, command, recipients, requested_by, requested_by_name, created_at, expires_at, state)
            VALUES ($id, $command, $recipients, $by, $name, $now, $expires, 'pending')
            """, cancellationToken,
            ("$id", id), ("$command", command), ("$recipients", recipients), ("$by", requestedBy), ("$name", requestedByName),
            ("$now", now.ToString("O", CultureInfo.InvariantCulture)), ("$expires", (now + lifetime).ToString("O", CultureInfo.InvariantCulture)));
        return id;
    }

    public async Task<bool> TryDecideAsync(string id, string state, string decidedBy, string? decidedByName, CancellationToken cancellationToken) =>
        await database.ExecuteAsync("""
            UPDATE command_confirmations SET state = $state, decided_by = $by, decided_by_name = $name, decided_at = $now
            WHERE id = $id AND state = 'pending' AND expires_at > $now AND requested_by = $by COLLATE NOCASE
            """, cancellationToken,
            ("$id", id), ("$state", state), ("$by", decidedBy), ("$name", decidedByName), ("$now", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture))) == 1;

    public Task SetResultAsync(string id, string result, CancellationToken cancellationToken) =>
        database.ExecuteAsync("UPDATE command_confirmations SET result = $result WHERE id = $id", cancellationToken, ("$id", id), ("$result", result));

    public async Task<PendingConfirmation?> FindAsync(string id, CancellationToken cancellationToken) =>
        (await database.QueryAsync("SELECT * FROM command_confirmations WHERE id = $id", r => new PendingConfirmation(
            r.GetString(r.GetOrdinal("id")),
            r.GetString(r.GetOrdinal("command")),
            r.IsDBNull(r.GetOrdinal("recipients")) ? null : r.GetInt32(r.GetOrdinal("recipients")),
            r.GetString(r.GetOrdinal("requested_by")),
            r.GetStringOrNull("requested_by_name"),
            DateTimeOffset.Parse(r.GetString(r.GetOrdinal("expires_at")), CultureInfo.InvariantCulture),
            r.GetString(r.GetOrdinal("state")),
            r.GetStringOrNull("decided_by_name"),
            r.GetStringOrNull("decided_at") is { } at ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture) : null,
            r.GetStringOrNull("result")), cancellationToken, ("$id", id))).SingleOrDefault();
}
