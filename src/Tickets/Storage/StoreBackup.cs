using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// A consistent dump of the whole store while the gateway keeps serving it. SQLite: the online backup
/// API copies every page in one step under one read snapshot (copying the file of a WAL-mode database
/// is no backup: committed pages may still sit in the <c>-wal</c> file). PostgreSQL: <c>pg_dump</c> in
/// its custom format, in a snapshot exported from the transaction that counts the rows, so the counts
/// recorded with the dump are the dump's own.
/// </summary>
public static class StoreBackup
{
    /// <summary>
    /// Writes the dump of <paramref name="store"/>, opened with <paramref name="options"/>, to
    /// <paramref name="file"/> (which must not exist).
    /// </summary>
    /// <exception cref="StoreException">The dump failed, or (PostgreSQL) <c>pg_dump</c> is not installed.</exception>
    public static async Task<StoreDump> DumpAsync(TicketDatabase store, StorageOptions options, string file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        return store.Dialect == SqlDialect.Postgres
            ? await DumpPostgresAsync(store, options, file, cancellationToken)
            : DumpSqlite(store, file);
    }

    /// <summary>Rows per table (every table but <c>schema_migrations</c>) and the applied schema steps, read in <paramref name="transaction"/>.</summary>
    internal static (Dictionary<string, long> Tables, List<string> Steps) Contents(DbConnection connection, DbTransaction? transaction, SqlDialect dialect)
    {
        var tables = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in Column(connection, transaction, dialect.TablesSql))
        {
            tables[table] = Convert.ToInt64(connection.Scalar($"SELECT count(*) FROM {PostgresCopyTarget.Quote(table)}", transaction), CultureInfo.InvariantCulture);
        }

        return (tables, Column(connection, transaction, "SELECT version FROM schema_migrations ORDER BY version"));
    }

    private static StoreDump DumpSqlite(TicketDatabase store, string file)
    {
        using var source = (SqliteConnection)store.Open();
        using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate }.ToString());
        try
        {
            target.Open();
            // One step (-1) copies every page under one read transaction: writers go on (WAL), and
            // nothing they commit meanwhile restarts or tears the copy.
            source.BackupDatabase(target);
            // The copy is one self-contained file: no -wal beside it.
            target.Execute("PRAGMA journal_mode = DELETE");
            var (tables, steps) = Contents(target, null, SqlDialect.Sqlite);
            return new StoreDump(StoreDump.Sqlite, store.DataSource, tables, steps);
        }
        catch (SqliteException ex)
        {
            throw new StoreException($"backup: the online backup of {store.DataSource} into {file} failed: {ex.Message}", ex);
        }
    }

    private static async Task<StoreDump> DumpPostgresAsync(TicketDatabase store, StorageOptions options, string file, CancellationToken cancellationToken)
    {
        PgTools.Find("pg_dump");
        await using var connection = (NpgsqlConnection)store.Open();
        // The configured string: an open connection's own no longer carries the password.
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        connection.Execute("SET TRANSACTION READ ONLY", transaction);
        // pg_dump reads in this transaction's snapshot for as long as it stays open: the counts below are the dump's.
        var snapshot = (string)connection.Scalar("SELECT pg_export_snapshot()", transaction)!;
        var (tables, steps) = Contents(connection, transaction, SqlDialect.Postgres);
        var env = PgTools.Environment(builder);
        // The server this connection reached; a multi-host string must dump the same one.
        env["PGHOST"] = connection.Host ?? env["PGHOST"];
        env["PGPORT"] = connection.Port.ToString(CultureInfo.InvariantCulture);
        env["PGDATABASE"] = connection.Database;
        env.Remove("PGTARGETSESSIONATTRS");
        await PgTools.RunAsync("pg_dump", ["--format=custom", "--snapshot=" + snapshot, "--file=" + file], env, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StoreDump(StoreDump.Postgres, store.DataSource, tables, steps);
    }

    private static List<string> Column(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var values = new List<string>();
        using var command = connection.Command(sql, transaction);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            values.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        }

        return values;
    }
}
