using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace TicketGateway.TestSupport;

/// <summary>
/// A new, empty ticket store for a test without starting <c>ticketgw init</c> once more: the real
/// <c>init</c> runs once per test process and engine, and each test's store is a copy of what it made
/// (the SQLite file copied; on PostgreSQL a <c>pg_dump</c> script run into the test's database). A copy
/// is only made where the store is certainly new and certainly the test's own; in any doubt
/// <see cref="TryCreateAsync"/> answers false and the caller runs <c>init</c> as before. Tests of
/// <c>init</c> itself do not use this.
/// </summary>
internal static class StoreTemplates
{
    private const string DefaultConnectionString = "Data Source=data/ticketgw.db";

    // The product's schema lock (PostgresEngine.SchemaLockKey): a node starting on the same database waits for the copy.
    private const long SchemaLockKey = 0x746777_01;

    private static readonly SemaphoreSlim SqliteGate = new(1, 1);
    private static readonly SemaphoreSlim PostgresGate = new(1, 1);
    private static readonly ConcurrentDictionary<string, bool> PreparedDatabases = new(StringComparer.Ordinal);
    private static string? _sqliteTemplate;
    private static string? _postgresScript;
    private static readonly Lazy<TempDir> Dir = new(() =>
    {
        var dir = new TempDir();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => dir.Dispose();
        Directory.CreateDirectory(Path.Combine(dir.Path, "sqlite"));
        return dir;
    });

    /// <summary>
    /// Makes the store the environment names (<c>Storage__Provider</c>, <c>Storage__ConnectionString</c>, or
    /// the default <c>data/ticketgw.db</c> in <paramref name="workDir"/>) a copy of a fresh <c>init</c>'s; true when
    /// the store is there now (copied, or a PostgreSQL test database that already held one), false when the
    /// caller should run <c>init</c> itself.
    /// </summary>
    public static async Task<bool> TryCreateAsync(string workDir, IReadOnlyDictionary<string, string>? environment)
    {
        string? provider = null;
        string? connectionString = null;
        environment?.TryGetValue("Storage__Provider", out provider);
        environment?.TryGetValue("Storage__ConnectionString", out connectionString);
        try
        {
            return provider switch
            {
                null or "" or "Sqlite" => await TryCopySqliteAsync(workDir, connectionString ?? DefaultConnectionString),
                "PostgreSQL" when connectionString is not null => await TryCopyPostgresAsync(connectionString),
                _ => false,
            };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException
            or InvalidOperationException or SqliteException or NpgsqlException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static async Task<bool> TryCopySqliteAsync(string workDir, string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        // Only a plain file: a mode, cache, password or in-memory store is the test's own business.
        if (builder.Count != 1 || string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:")
        {
            return false;
        }

        var target = Path.GetFullPath(builder.DataSource, workDir);
        if (File.Exists(target))
        {
            // Made by the test's own serve, init or an earlier command: as at a desk, the store is there.
            return true;
        }

        if (File.Exists(target + "-wal") || File.Exists(target + "-journal"))
        {
            return false;
        }

        var template = await SqliteTemplateAsync();
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var partial = target + ".template-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        File.Copy(template, partial, overwrite: true);
        try
        {
            // No overwrite: a store some other process made meanwhile stays, and the caller runs init on it.
            File.Move(partial, target, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(target))
        {
            File.Delete(partial);
            return false;
        }
    }

    private static async Task<string> SqliteTemplateAsync()
    {
        await SqliteGate.WaitAsync();
        try
        {
            if (_sqliteTemplate is not null)
            {
                return _sqliteTemplate;
            }

            var dir = Folder();
            var file = Path.Combine(dir, "sqlite", "ticketgw.db");
            var environment = new Dictionary<string, string> { ["Storage__Provider"] = "Sqlite", ["Storage__ConnectionString"] = "Data Source=" + file };
            await InitAsync(dir, environment);
            // Everything into the main file, so a copy of that one file is the whole store.
            using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                command.ExecuteNonQuery();
            }

            return _sqliteTemplate = file;
        }
        finally
        {
            SqliteGate.Release();
        }
    }

    private static async Task<bool> TryCopyPostgresAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var database = builder.Database;
        // Only a database of the shared test server that CreateDatabase made.
        if (database is null || !database.StartsWith("tg_test_", StringComparison.Ordinal) || !database[8..].All(char.IsAsciiDigit)
            || !PostgresServer.IsAvailable || builder.Host != "127.0.0.1" || builder.Port != PostgresServer.Shared.Port)
        {
            return false;
        }

        if (PreparedDatabases.ContainsKey(database))
        {
            return true;
        }

        var script = await PostgresScriptAsync();
        if (PostgresServer.Shared.TryApplyScript(database, script) || HoldsStore(connectionString))
        {
            PreparedDatabases[database] = true;
            return true;
        }

        return false;
    }

    // The script refuses a database that holds tables already: one a test's own serve or init made is left as it is.
    private static bool HoldsStore(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT to_regclass('public.schema_migrations') IS NOT NULL", connection);
        return command.ExecuteScalar() is true;
    }

    private static async Task<string> PostgresScriptAsync()
    {
        await PostgresGate.WaitAsync();
        try
        {
            if (_postgresScript is not null)
            {
                return _postgresScript;
            }

            var server = PostgresServer.Shared;
            var connectionString = server.CreateDatabase();
            var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
            var dir = Folder();
            await InitAsync(dir, new Dictionary<string, string> { ["Storage__Provider"] = "PostgreSQL", ["Storage__ConnectionString"] = connectionString });
            var dump = Path.Combine(dir, "postgres.dump.sql");
            server.Dump(database, dump);
            var script = Path.Combine(dir, "postgres.sql");
            var prelude = $"""
                SELECT pg_advisory_xact_lock({SchemaLockKey});
                DO $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = 'public') THEN
                        RAISE EXCEPTION 'the database holds tables already; the template is only for an empty one';
                    END IF;
                END
                $$;

                """;
            await File.WriteAllTextAsync(script, prelude + await File.ReadAllTextAsync(dump));
            server.DropDatabase(database);
            return _postgresScript = script;
        }
        finally
        {
            PostgresGate.Release();
        }
    }

    private static async Task InitAsync(string dir, Dictionary<string, string> environment)
    {
        var result = await GatewayProcess.RunCliBareAsync(dir, environment, "init");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ticketgw init for the store template failed ({result.ExitCode}): {result.Stderr}");
        }
    }

    private static string Folder() => Dir.Value.Path;
}
