using Microsoft.Data.Sqlite;

namespace TeamsRolloutBot.Storage.Sqlite;

/// <summary>
/// The statements of one store call on one open connection (in a transaction when <see cref="SqliteDatabase"/> began
/// one). Parameters are (name, value) pairs, null as SQL NULL. A statement run again in the same session reuses its
/// prepared command, so a loop over many rows is parsed once.
/// </summary>
public sealed class SqliteSession : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction? _transaction;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    internal SqliteSession(SqliteConnection connection, SqliteTransaction? transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>Runs a query and reads every row.</summary>
    public async Task<List<T>> QueryAsync<T>(string sql, Func<SqliteDataReader, T> read, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(read);
        await using var reader = await Command(sql, parameters).ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    /// <summary>Runs one statement; the number of rows it inserted, changed or deleted.</summary>
    public Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        Command(sql, parameters).ExecuteNonQueryAsync(cancellationToken);

    /// <summary>Runs one statement; the first column of its first row, or default when there is none or it is NULL.</summary>
    public async Task<T?> ScalarAsync<T>(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        await Command(sql, parameters).ExecuteScalarAsync(cancellationToken) is T value ? value : default;

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync();
        }
        _commands.Clear();
    }

    private SqliteCommand Command(string sql, (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.Transaction = _transaction;
            command.CommandText = sql;
            _commands.Add(sql, command);
        }
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }
}
