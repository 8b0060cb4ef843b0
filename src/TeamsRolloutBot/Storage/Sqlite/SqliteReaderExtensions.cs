using Microsoft.Data.Sqlite;

namespace TeamsRolloutBot.Storage.Sqlite;

/// <summary>Reads of nullable text columns, by name or position, shared by the SQLite stores' row mappers.</summary>
internal static class SqliteReaderExtensions
{
    public static string? GetStringOrNull(this SqliteDataReader reader, string column) => reader.GetStringOrNull(reader.GetOrdinal(column));

    public static string? GetStringOrNull(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
