using System.Globalization;
using TeamsRolloutBot.Storage;

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

/// <summary>The states of a <see cref="PendingConfirmation"/>.</summary>
public static class ConfirmationStates
{
    public const string Pending = "pending";
    public const string Confirmed = "confirmed";
    public const string Declined = "declined";
}

/// <summary>
/// Sends that wait for the lead's confirmation. Deciding is conditional on the confirmation still being pending, so a
/// double click, a redelivered invoke or two instances handling the same click act once; only the asking lead decides.
/// </summary>
public interface IConfirmationStore
{
    /// <summary>Stores a new pending confirmation and returns its id.</summary>
    Task<string> CreateAsync(string command, int? recipients, string requestedBy, string? requestedByName, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>
    /// Flips a pending, unexpired confirmation requested by <paramref name="decidedBy"/> to <paramref name="state"/>; true
    /// for exactly one caller. The others read what happened with <see cref="FindAsync"/>.
    /// </summary>
    Task<bool> TryDecideAsync(string id, string state, string decidedBy, string? decidedByName, CancellationToken cancellationToken);

    Task SetResultAsync(string id, string result, CancellationToken cancellationToken);

    /// <summary>A confirmation by id, or null.</summary>
    Task<PendingConfirmation?> FindAsync(string id, CancellationToken cancellationToken);
}

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
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO command_confirmations (id, command, recipients, requested_by, requested_by_name, created_at, expires_at, state)
            VALUES ($id, $command, $recipients, $by, $name, $now, $expires, 'pending')
            """;
        insert.Parameters.AddWithValue("$id", id);
        insert.Parameters.AddWithValue("$command", command);
        insert.Parameters.AddWithValue("$recipients", (object?)recipients ?? DBNull.Value);
        insert.Parameters.AddWithValue("$by", requestedBy);
        insert.Parameters.AddWithValue("$name", (object?)requestedByName ?? DBNull.Value);
        insert.Parameters.AddWithValue("$now", now.ToString("O", CultureInfo.InvariantCulture));
        insert.Parameters.AddWithValue("$expires", (now + lifetime).ToString("O", CultureInfo.InvariantCulture));
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return id;
    }

    public async Task<bool> TryDecideAsync(string id, string state, string decidedBy, string? decidedByName, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var update = connection.CreateCommand();
        update.CommandText = """
            UPDATE command_confirmations SET state = $state, decided_by = $by, decided_by_name = $name, decided_at = $now
            WHERE id = $id AND state = 'pending' AND expires_at > $now AND requested_by = $by COLLATE NOCASE
            """;
        update.Parameters.AddWithValue("$id", id);
        update.Parameters.AddWithValue("$state", state);
        update.Parameters.AddWithValue("$by", decidedBy);
        update.Parameters.AddWithValue("$name", (object?)decidedByName ?? DBNull.Value);
        update.Parameters.AddWithValue("$now", now);
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task SetResultAsync(string id, string result, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var update = connection.CreateCommand();
        update.CommandText = "UPDATE command_confirmations SET result = $result WHERE id = $id";
        update.Parameters.AddWithValue("$id", id);
        update.Parameters.AddWithValue("$result", result);
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<PendingConfirmation?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT * FROM command_confirmations WHERE id = $id";
        select.Parameters.AddWithValue("$id", id);
        await using var r = await select.ExecuteReaderAsync(cancellationToken);
        if (!await r.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new PendingConfirmation(
            r.GetString(r.GetOrdinal("id")),
            r.GetString(r.GetOrdinal("command")),
            r.IsDBNull(r.GetOrdinal("recipients")) ? null : r.GetInt32(r.GetOrdinal("recipients")),
            r.GetString(r.GetOrdinal("requested_by")),
            SqliteAuditLog.Text(r, "requested_by_name"),
            DateTimeOffset.Parse(r.GetString(r.GetOrdinal("expires_at")), CultureInfo.InvariantCulture),
            r.GetString(r.GetOrdinal("state")),
            SqliteAuditLog.Text(r, "decided_by_name"),
            SqliteAuditLog.Text(r, "decided_at") is { } at ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture) : null,
            SqliteAuditLog.Text(r, "result"));
    }
}
