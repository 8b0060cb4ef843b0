using System.Globalization;
using Microsoft.Data.Sqlite;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Commands;

/// <summary>One audit entry: who did what, when, with which result.</summary>
public sealed record AuditEntry(DateTimeOffset At, string? UserAadObjectId, string? UserName, string? ConversationType, string Command, string Result, string? Detail);

/// <summary>Result words stored in the audit log.</summary>
public static class AuditResults
{
    public const string Done = "done";
    public const string Refused = "refused";
    public const string Failed = "failed";
    public const string AwaitingConfirmation = "awaiting confirmation";
    public const string Confirmed = "confirmed";
    public const string Declined = "declined";
}

/// <summary>The audit log of lead commands: every state change and every refused attempt, from every instance.</summary>
public interface IAuditLog
{
    /// <summary>Appends an entry stamped with the current time.</summary>
    Task WriteAsync(string? userAadObjectId, string? userName, string? conversationType, string command, string result, string? detail, CancellationToken cancellationToken);

    /// <summary>The newest <paramref name="count"/> entries, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> LatestAsync(int count, CancellationToken cancellationToken);
}

/// <summary>The audit log in the SQLite file (table <c>command_audit</c>).</summary>
public sealed class SqliteAuditLog(SqliteDatabase database, [FromKeyedServices(CommandsClock.Key)] TimeProvider time) : IAuditLog
{
    public async Task WriteAsync(string? userAadObjectId, string? userName, string? conversationType, string command, string result, string? detail, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO command_audit (at, user_aad_object_id, user_name, conversation_type, command, result, detail)
            VALUES ($at, $aad, $name, $type, $command, $result, $detail)
            """;
        insert.Parameters.AddWithValue("$at", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        insert.Parameters.AddWithValue("$aad", (object?)userAadObjectId ?? DBNull.Value);
        insert.Parameters.AddWithValue("$name", (object?)userName ?? DBNull.Value);
        insert.Parameters.AddWithValue("$type", (object?)conversationType ?? DBNull.Value);
        insert.Parameters.AddWithValue("$command", command);
        insert.Parameters.AddWithValue("$result", result);
        insert.Parameters.AddWithValue("$detail", (object?)detail ?? DBNull.Value);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> LatestAsync(int count, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT * FROM command_audit ORDER BY id DESC LIMIT $n";
        select.Parameters.AddWithValue("$n", count);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(
                DateTimeOffset.Parse(reader.GetString(reader.GetOrdinal("at")), CultureInfo.InvariantCulture),
                Text(reader, "user_aad_object_id"), Text(reader, "user_name"), Text(reader, "conversation_type"),
                reader.GetString(reader.GetOrdinal("command")), reader.GetString(reader.GetOrdinal("result")), Text(reader, "detail")));
        }
        return entries;
    }

    internal static string? Text(SqliteDataReader reader, string column) =>
        reader.IsDBNull(reader.GetOrdinal(column)) ? null : reader.GetString(reader.GetOrdinal(column));
}
