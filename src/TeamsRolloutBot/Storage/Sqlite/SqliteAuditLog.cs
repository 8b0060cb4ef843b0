using System.Globalization;
using TeamsRolloutBot.Commands;

namespace TeamsRolloutBot.Storage.Sqlite;

/// <summary>The audit log in the SQLite file (table <c>command_audit</c>).</summary>
public sealed class SqliteAuditLog(SqliteDatabase database, [FromKeyedServices(CommandsClock.Key)] TimeProvider time) : IAuditLog
{
    public Task WriteAsync(string? userAadObjectId, string? userName, string? conversationType, string command, string result, string? detail, CancellationToken cancellationToken) =>
        database.ExecuteAsync("""
            INSERT INTO command_audit (at, user_aad_object_id, user_name, conversation_type, command, result, detail)
            VALUES ($at, $aad, $name, $type, $command, $result, $detail)
            """, cancellationToken,
            ("$at", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)), ("$aad", userAadObjectId), ("$name", userName),
            ("$type", conversationType), ("$command", command), ("$result", result), ("$detail", detail));

    public async Task<IReadOnlyList<AuditEntry>> LatestAsync(int count, CancellationToken cancellationToken) =>
        await database.QueryAsync("SELECT * FROM command_audit ORDER BY id DESC LIMIT $n", reader => new AuditEntry(
            DateTimeOffset.Parse(reader.GetString(reader.GetOrdinal("at")), CultureInfo.InvariantCulture),
            reader.GetStringOrNull("user_aad_object_id"), reader.GetStringOrNull("user_name"), reader.GetStringOrNull("conversation_type"),
            reader.GetString(reader.GetOrdinal("command")), reader.GetString(reader.GetOrdinal("result")), reader.GetStringOrNull("detail")),
            cancellationToken, ("$n", count));
}
