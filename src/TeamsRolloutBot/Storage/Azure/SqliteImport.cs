using Azure.Data.Tables;
using Microsoft.Data.Sqlite;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>What the one-time SQLite imports share: copying query rows into a table in batches, and reading columns.</summary>
internal static class SqliteImport
{
    internal static async Task<int> CopyAsync(SqliteConnection connection, TableClient table, string sql, Func<SqliteDataReader, TableEntity> map,
        CancellationToken cancellationToken)
    {
        var entities = new List<TableEntity>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                entities.Add(map(reader));
            }
        }
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

    internal static string? Str(SqliteDataReader r, string column)
    {
        var i = r.GetOrdinal(column);
        return r.IsDBNull(i) ? null : r.GetString(i);
    }

    internal static long? Long(SqliteDataReader r, string column)
    {
        var i = r.GetOrdinal(column);
        return r.IsDBNull(i) ? null : r.GetInt64(i);
    }
}
