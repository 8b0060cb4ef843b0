using Azure.Data.Tables;
using Microsoft.Data.Sqlite;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>What the one-time SQLite imports share: copying query rows into a table in batches, and reading columns.</summary>
internal static class SqliteImport
{
    internal static async Task<int> CopyAsync(SqliteDatabase database, TableClient table, string sql, Func<SqliteDataReader, TableEntity> map,
        CancellationToken cancellationToken)
    {
        var entities = await database.QueryAsync(sql, map, cancellationToken);
        // Entity group transactions: up to 100 entities of one partition per request.
        foreach (var partition in entities.GroupBy(e => e.PartitionKey))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                await table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancellationToken);
            }
        }
        return entities.Count;
    }

    internal static string? Str(SqliteDataReader r, string column) => r.GetStringOrNull(column);

    internal static long? Long(SqliteDataReader r, string column)
    {
        var i = r.GetOrdinal(column);
        return r.IsDBNull(i) ? null : r.GetInt64(i);
    }
}
