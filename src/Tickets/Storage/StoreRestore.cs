using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// Puts a <see cref="StoreBackup"/> dump where <see cref="StorageOptions"/> point, into an empty store
/// only; with <c>force</c> the old store is first moved aside (never deleted). The dump is checked
/// before it becomes the store: SQLite's <c>integrity_check</c> and <c>foreign_key_check</c>, and on both
/// engines the rows of every table against the counts recorded when the dump was taken.
/// </summary>
public static class StoreRestore
{
    /// <summary>Restores <paramref name="dumpFile"/>, whose contents <paramref name="expected"/> describes, into the store <paramref name="target"/> names.</summary>
    /// <exception cref="StoreCopyRefusedException">The target holds a store and <paramref name="force"/> is false.</exception>
    /// <exception cref="StoreException">The dump is damaged or of the other engine, or the target cannot be used.</exception>
    public static Task<StoreRestoreResult> RunAsync(StorageOptions target, string dumpFile, StoreDump expected, bool force, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(time);
        var engine = target.IsPostgres ? StoreDump.Postgres : StoreDump.Sqlite;
        if (expected.Engine != engine)
        {
            throw new StoreException($"restore: the backup holds a {expected.Engine} store but Storage:Provider is {target.Provider}; restore it into a {expected.Engine} store (then 'ticketgw storage copy' moves a SQLite desk to PostgreSQL).");
        }

        var suffix = ".before-restore-" + time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        return target.IsPostgres
            ? RestorePostgresAsync(target, dumpFile, expected, force, suffix, cancellationToken)
            : Task.FromResult(RestoreSqlite(target, dumpFile, expected, force, suffix));
    }

    private static StoreRestoreResult RestoreSqlite(StorageOptions target, string dumpFile, StoreDump expected, bool force, string suffix)
    {
        var path = TicketDatabase.FilePath(target) ?? throw new StoreException("restore: Storage:ConnectionString names an in-memory SQLite store; restore needs a file.");
        var tables = CheckSqliteDump(dumpFile, expected);
        string? aside = null;
        if (File.Exists(path) && SqliteHasTables(path))
        {
            if (!force)
            {
                throw new StoreCopyRefusedException($"restore: the ticket store {path} (Storage:ConnectionString) is not empty; restore into an empty store, or give --force to move it aside first.");
            }

            aside = path + suffix;
            // The -wal holds committed pages: it moves with its database, under the name SQLite looks for.
            foreach (var extra in new[] { "-wal", "-shm", "" })
            {
                if (File.Exists(path + extra))
                {
                    File.Move(path + extra, aside + extra);
                }
            }
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            foreach (var stale in new[] { "-wal", "-shm" })
            {
                File.Delete(path + stale);
            }

            File.Move(dumpFile, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"restore: the backup could not be put at {path} (Storage:ConnectionString): {ex.Message}", ex);
        }

        return new StoreRestoreResult(path, tables, aside);
    }

    private static List<TableCount> CheckSqliteDump(string dumpFile, StoreDump expected)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dumpFile, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
            connection.Open();
            var integrity = Convert.ToString(connection.Scalar("PRAGMA integrity_check"), CultureInfo.InvariantCulture);
            if (integrity != "ok")
            {
                throw new StoreException($"restore: the backup's database fails SQLite's integrity check ({integrity}); nothing was restored.");
            }

            if (connection.Scalar("SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1") is string table)
            {
                throw new StoreException($"restore: the backup's table {table} refers to rows that are not there (foreign_key_check); nothing was restored.");
            }

            return Compare(expected, StoreBackup.Contents(connection, null, SqlDialect.Sqlite).Tables, "nothing was restored");
        }
        catch (SqliteException ex)
        {
            throw new StoreException($"restore: the backup's database cannot be read ({ex.Message}); nothing was restored.", ex);
        }
    }

    private static bool SqliteHasTables(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        try
        {
            connection.Open();
            return connection.Scalar("SELECT 1 FROM sqlite_schema LIMIT 1") is not null;
        }
        catch (SqliteException)
        {
            // Not a database at all: not an empty store either.
            return true;
        }
    }

    private static async Task<StoreRestoreResult> RestorePostgresAsync(StorageOptions target, string dumpFile, StoreDump expected, bool force, string suffix, CancellationToken cancellationToken)
    {
        PgTools.Find("pg_restore");
        var builder = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        var database = builder.Database ?? builder.Username ?? throw new StoreException("restore: Storage:ConnectionString names no PostgreSQL database (Database=...).");
        var description = $"{builder.Host}:{builder.Port}/{database}";
        string? aside = null;
        switch (await PostgresStateAsync(builder, cancellationToken))
        {
            case PostgresState.Missing:
                await MaintenanceAsync(builder, $"CREATE DATABASE {PostgresCopyTarget.Quote(database)}", description, cancellationToken);
                break;
            case PostgresState.NotEmpty when !force:
                throw new StoreCopyRefusedException($"restore: the PostgreSQL database {description} (Storage:ConnectionString) is not empty; restore into an empty database, or give --force to move it aside first (renamed, kept).");
            case PostgresState.NotEmpty:
                aside = database + suffix.Replace('.', '_').Replace('-', '_');
                NpgsqlConnection.ClearAllPools();
                await MaintenanceAsync(builder, $"ALTER DATABASE {PostgresCopyTarget.Quote(database)} RENAME TO {PostgresCopyTarget.Quote(aside)}", description, cancellationToken);
                await MaintenanceAsync(builder, $"CREATE DATABASE {PostgresCopyTarget.Quote(database)}", description, cancellationToken);
                break;
        }

        var env = PgTools.Environment(builder);
        env.Remove("PGDATABASE");
        // One transaction: a failure leaves the database as empty as it was.
        await PgTools.RunAsync("pg_restore", ["--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges", "--dbname=" + database, dumpFile], env, cancellationToken);
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var tables = Compare(expected, StoreBackup.Contents(connection, null, SqlDialect.Postgres).Tables, "the restored database stays as it is for a look; drop it before trying again");
        return new StoreRestoreResult(description, tables, aside);
    }

    private enum PostgresState
    {
        Missing,
        Empty,
        NotEmpty,
    }

    private static async Task<PostgresState> PostgresStateAsync(NpgsqlConnectionStringBuilder builder, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            return connection.Scalar(SqlDialect.Postgres.TablesSql + " LIMIT 1") is null
                && connection.Scalar("SELECT 1 WHERE to_regclass('schema_migrations') IS NOT NULL") is null
                ? PostgresState.Empty
                : PostgresState.NotEmpty;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            return PostgresState.Missing;
        }
        catch (NpgsqlException ex)
        {
            throw new StoreException($"restore: the PostgreSQL server of {builder.Host}:{builder.Port} (Storage:ConnectionString) cannot be reached: {ex.Message}", ex);
        }
    }

    private static async Task MaintenanceAsync(NpgsqlConnectionStringBuilder builder, string sql, string description, CancellationToken cancellationToken)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Database = "postgres", Pooling = false };
        try
        {
            await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            connection.Execute(sql);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse)
        {
            throw new StoreException($"restore: the PostgreSQL database {description} is in use ({ex.MessageText}); stop every ticketgw serve on it first.", ex);
        }
        catch (NpgsqlException ex)
        {
            throw new StoreException($"restore: {sql.Split(' ')[0]} {sql.Split(' ')[1]} on {description} failed: {ex.Message}", ex);
        }
    }

    private static List<TableCount> Compare(StoreDump expected, Dictionary<string, long> actual, string consequence)
    {
        var counts = expected.Tables.Keys.Union(actual.Keys).Order(StringComparer.Ordinal)
            .Select(t => new TableCount(t, expected.Tables.GetValueOrDefault(t, -1), actual.GetValueOrDefault(t, -1)))
            .ToList();
        if (counts.Where(c => !c.Equal).Select(c => c.Table).ToList() is { Count: > 0 } different)
        {
            throw new StoreException($"restore: the rows of {string.Join(", ", different)} differ from the backup's manifest; {consequence}.");
        }

        return counts;
    }
}
