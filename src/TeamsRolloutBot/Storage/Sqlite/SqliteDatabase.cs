using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Storage.Sqlite;

/// <summary>
/// The one SQLite file: opens connections in WAL mode with a busy timeout and applies the versioned migrations
/// (table <c>schema_migrations</c>) once, on first use. Stores run their SQL through it: one statement on its own
/// connection (<see cref="ExecuteAsync"/>, <see cref="ScalarAsync{T}"/>, <see cref="QueryAsync{T}"/>), or several on one
/// connection (<see cref="ConnectAsync{T}"/>) or in one transaction (<see cref="InTransactionAsync{T}"/>).
/// </summary>
public sealed class SqliteDatabase
{
    private readonly string _connectionString;
    private readonly Lazy<Task> _migrated;

    public SqliteDatabase(IOptions<StorageOptions> options, IHostEnvironment environment)
    {
        var path = options.Value.SqlitePath;
        FilePath = Path.IsPathRooted(path) ? path : Path.Combine(environment.ContentRootPath, path);
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _migrated = new Lazy<Task>(MigrateAsync);
    }

    /// <summary>The absolute path of the database file.</summary>
    public string FilePath { get; }

    /// <summary>An open connection on a migrated database, for code outside the stores that needs the raw connection (tests, the benchmark seed).</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await _migrated.Value.WaitAsync(cancellationToken);
        return await OpenRawAsync(cancellationToken);
    }

    /// <summary>Runs a query on its own connection and reads every row; parameters are (name, value) pairs, null as SQL NULL.</summary>
    public Task<List<T>> QueryAsync<T>(string sql, Func<SqliteDataReader, T> read, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters) =>
        ConnectAsync(session => session.QueryAsync(sql, read, cancellationToken, parameters), cancellationToken);

    /// <summary>Runs one statement on its own connection; the number of rows it inserted, changed or deleted.</summary>
    public Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        ConnectAsync(session => session.ExecuteAsync(sql, cancellationToken, parameters), cancellationToken);

    /// <summary>Runs one statement on its own connection; the first column of its first row, or default when there is none or it is NULL.</summary>
    public Task<T?> ScalarAsync<T>(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        ConnectAsync(session => session.ScalarAsync<T>(sql, cancellationToken, parameters), cancellationToken);

    /// <summary>Runs <paramref name="work"/> on one connection, without a transaction.</summary>
    public async Task<T> ConnectAsync<T>(Func<SqliteSession, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await OpenAsync(cancellationToken);
        await using var session = new SqliteSession(connection, null);
        return await work(session);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction, committed when it returns and rolled back when it throws.
    /// SQLite begins it IMMEDIATE (the write lock is taken at once), so concurrent callers serialize instead of both
    /// reading the same state.
    /// </summary>
    public async Task<T> InTransactionAsync<T>(Func<SqliteSession, Task<T>> work, CancellationToken cancellationToken,
        IsolationLevel isolation = IsolationLevel.Unspecified)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await OpenAsync(cancellationToken);
        return await RunInTransactionAsync(connection, isolation, work, cancellationToken);
    }

    private static async Task<T> RunInTransactionAsync<T>(SqliteConnection connection, IsolationLevel isolation,
        Func<SqliteSession, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(isolation, cancellationToken);
        T result;
        await using (var session = new SqliteSession(connection, transaction))
        {
            result = await work(session);
        }
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private async Task MigrateAsync()
    {
        var none = CancellationToken.None;
        await using var connection = await OpenRawAsync(none);
        await using (var session = new SqliteSession(connection, null))
        {
            await session.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)", none);
        }
        foreach (var migration in Migrations.All)
        {
            await RunInTransactionAsync(connection, IsolationLevel.Serializable, async session =>
            {
                if (await session.ScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations WHERE version = $v", none, ("$v", migration.Version)) > 0)
                {
                    return false;
                }
                await session.ExecuteAsync(migration.Sql, none);
                await session.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($v, $n, $t)", none,
                    ("$v", migration.Version), ("$n", migration.Name), ("$t", DateTimeOffset.UtcNow.ToString("O")));
                return true;
            }, none);
        }
    }
}
