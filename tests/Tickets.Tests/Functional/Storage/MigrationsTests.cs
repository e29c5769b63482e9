using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TicketGateway.TestSupport;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Tests.Functional.Storage;

/// <summary>
/// Schema steps contributed by modules, applied by the store in one order with checksums. The
/// mechanism is the same on both engines; upgrades of committed SQLite files are in
/// OperatorGateway.Tests (StoreUpgradeTests).
/// </summary>
public abstract class MigrationsTests(StoreKind engine) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tg-schema-").FullName;
    private TestDatabase? _db;

    private protected TestDatabase Db => _db ??= TestDatabase.Create(engine, _dir);

    /// <summary>The catalogue the engine lists its tables and indexes in.</summary>
    private string Catalogue => engine == StoreKind.Postgres
        ? "(SELECT relname AS name, CASE relkind WHEN 'r' THEN 'table' ELSE 'other' END AS type FROM pg_class WHERE relnamespace = current_schema()::regnamespace) c"
        : "sqlite_master";

    public void Dispose()
    {
        TestDatabase.ClearPools();
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Open_TicketsAlone_CreatesOnlyTicketsTables()
    {
        await Open().DisposeAsync();

        // Without the search index's FTS5 tables (SQLite: virtual and shadow tables, derived from these).
        var tables = Query($"SELECT name FROM {Catalogue} WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'ticket_search%' ORDER BY name");
        Assert.Equal(["agents", "alerts", "attachments", "call_tickets", "calls", "desk_counters", "history", "leases", "messages", "outbox", "requested_deadlines", "schema_migrations", "signin_failures", "ticket_merges", "tickets"], tables);
    }

    [Fact]
    public async Task Open_ModuleStepsBelowAndAboveTicketsSteps_AppliesAllInOneAscendingOrder()
    {
        // Each step notes which of Tickets' steps had run before it: 1 made tickets, 200 outbox, 402 ix_tickets_phone_accepted.
        var seen = $"SELECT (SELECT COUNT(*) FROM {Catalogue} WHERE name = 'tickets') AS step1, (SELECT COUNT(*) FROM {Catalogue} WHERE name = 'outbox') AS step200, (SELECT COUNT(*) FROM {Catalogue} WHERE name = 'ix_tickets_phone_accepted') AS step402";
        SqlDialect dialect;
        var early = new SchemaStep(150, "early", $"CREATE TABLE test_early AS {seen};");
        var module = new SchemaModule("Test", [new(900, "late", $"CREATE TABLE test_late AS {seen};"), early]);

        await using (var store = Open(module))
        {
            dialect = store.Dialect;
        }

        Assert.Equal(["1|0|0"], Query("SELECT step1 || '|' || step200 || '|' || step402 FROM test_early"));
        Assert.Equal(["1|1|1"], Query("SELECT step1 || '|' || step200 || '|' || step402 FROM test_late"));
        Assert.Equal([early.ChecksumFor(dialect)], Query("SELECT checksum FROM schema_migrations WHERE version = 150"));
    }

    [Fact]
    public void Open_TwoModulesWithTheSameStepNumber_ThrowsNamingBoth()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Open(new SchemaModule("Test", [new(400, "clash", "SELECT 1;")])));

        Assert.Contains("Schema step 400 is defined twice", ex.Message, StringComparison.Ordinal);
        Assert.Contains("by Test (clash)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_SameModuleRegisteredTwice_AppliesItsStepsOnce()
    {
        var module = new SchemaModule("Test", [new(900, "late", "CREATE TABLE test_late (id INTEGER PRIMARY KEY);")]);

        await Open(module, module).DisposeAsync();

        Assert.Equal(["900"], Query("SELECT version FROM schema_migrations WHERE version = 900"));
    }

    [Fact]
    public async Task Open_StoreWithoutChecksums_FillsThemOnceFromTheCode()
    {
        await Open().DisposeAsync();
        var expected = Query("SELECT version || ' ' || checksum FROM schema_migrations ORDER BY version");
        Execute("UPDATE schema_migrations SET checksum = NULL");

        await Open().DisposeAsync();

        Assert.Equal(expected, Query("SELECT version || ' ' || checksum FROM schema_migrations ORDER BY version"));
    }

    [Fact]
    public async Task Open_StepRecordedWithOtherChecksum_ThrowsStoreExceptionNamingIt()
    {
        await Open().DisposeAsync();
        Execute("UPDATE schema_migrations SET checksum = 'not-this' WHERE version = 402");

        var ex = Assert.Throws<StoreException>(() => Open());

        Assert.Contains("schema step 402 \"repeat rule: customer lookups by time\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains(StoreName, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_StepOfAModuleThisProcessLacks_IsLeftAlone()
    {
        await Open(new SchemaModule("Test", [new(900, "late", "CREATE TABLE test_late (id INTEGER PRIMARY KEY);")])).DisposeAsync();
        Execute("UPDATE schema_migrations SET checksum = 'another module' WHERE version = 900");

        await Open().DisposeAsync();

        Assert.Equal(["another module"], Query("SELECT checksum FROM schema_migrations WHERE version = 900"));
    }

    /// <summary>How messages name the store: the SQLite file's path, or PostgreSQL's host:port/database.</summary>
    private string StoreName
    {
        get
        {
            if (Db.FilePath is { } path)
            {
                return path;
            }

            var postgres = new NpgsqlConnectionStringBuilder(Db.ConnectionString);
            return $"{postgres.Host}:{postgres.Port}/{postgres.Database}";
        }
    }

    private TicketDatabase Open(params SchemaModule[] modules) =>
        new(Db.Options, NullLogger<TicketDatabase>.Instance, createIfMissing: true, modules);

    private protected List<string> Query(string sql)
    {
        using var connection = Db.OpenConnection();
        using var command = connection.Command(sql);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return rows;
    }

    private void Execute(string sql)
    {
        using var connection = Db.OpenConnection();
        connection.Execute(sql);
    }
}

public sealed class MigrationsTestsOnSqlite() : MigrationsTests(StoreKind.Sqlite);

public sealed class MigrationsTestsOnPostgres() : MigrationsTests(StoreKind.Postgres)
{
    // Only PostgreSQL ends a statement at a timeout (Npgsql's Command Timeout); SQLite's applies to waiting for a lock.
    [Fact]
    public async Task Open_StepLongerThanTheCommandTimeout_RunsToItsEnd()
    {
        var options = new StorageOptions { Provider = "PostgreSQL", ConnectionString = Db.ConnectionString + ";Command Timeout=1", BusyTimeout = TimeSpan.FromSeconds(1) };
        var slow = new SchemaModule("Test", [new(900, "slow", "CREATE TABLE test_slow AS SELECT pg_sleep(2) IS NOT NULL AS slept;")]);

        await new TicketDatabase(options, NullLogger<TicketDatabase>.Instance, createIfMissing: true, [slow]).DisposeAsync();

        Assert.Equal(["900"], Query("SELECT version FROM schema_migrations WHERE version = 900"));
    }
}
