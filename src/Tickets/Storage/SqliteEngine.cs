using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// The embedded store: one SQLite file in WAL mode, synced on every commit. A missing file is created
/// (or, for the CLI, refused); the schema steps are serialised by SQLite's write lock.
/// </summary>
internal sealed class SqliteEngine : StoreEngine
{
    private readonly string _connectionString;
    private readonly TimeSpan _busyTimeout;
    private readonly bool _readOnlyMode;

    public SqliteEngine(StorageOptions options, bool createIfMissing)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(options.ConnectionString)
            {
                DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
                Pooling = true,
            };
        }
        catch (ArgumentException ex)
        {
            throw new StoreException($"Storage:ConnectionString is not a valid SQLite connection string: {ex.Message}", ex);
        }

        var path = PathOf(builder);
        if (path is not null)
        {
            builder.DataSource = path;
            if (!File.Exists(path))
            {
                if (!createIfMissing)
                {
                    throw new StoreException($"There is no ticket store at {path} (Storage:ConnectionString); run 'ticketgw init' to create it, or run ticketgw from the folder that holds the store.");
                }

                Created = true;
                CreateFolder(path);
            }
            else if (!createIfMissing && builder.Mode == SqliteOpenMode.ReadWriteCreate)
            {
                // Not even a file deleted since the check above may come back as an empty store.
                builder.Mode = SqliteOpenMode.ReadWrite;
            }
        }

        _connectionString = builder.ToString();
        _busyTimeout = options.BusyTimeout;
        _readOnlyMode = builder.Mode == SqliteOpenMode.ReadOnly;
        FilePath = path;
        Description = builder.DataSource;
    }

    public override SqlDialect Dialect => SqlDialect.Sqlite;

    public override string Description { get; }

    public override string? FilePath { get; }

    /// <summary>The full path of the database file a SQLite connection string names, or null for an in-memory store.</summary>
    public static string? PathOf(string connectionString)
    {
        try
        {
            return PathOf(new SqliteConnectionStringBuilder(connectionString));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public override DbConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // WAL lets the CLI read while the server writes; FULL syncs the WAL on every commit so a
        // committed change survives power loss, not only a process crash.
        connection.Execute($"""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            PRAGMA foreign_keys = ON;
            PRAGMA busy_timeout = {(int)_busyTimeout.TotalMilliseconds};
            """);
        return connection;
    }

    // Every change of a write batch runs in its own savepoint, and SQLite keeps the pages a savepoint
    // changes in a sub-journal, a temporary file by default: a write system call per page, a tenth of
    // the intake's time (BENCHMARKS.md). In memory it is a copy; it is emptied at each release, so it
    // holds one change's pages at most. Only the writer: a reader's large sort stays on disk.
    public override void PrepareWriter(DbConnection connection) => connection.Execute("PRAGMA temp_store = MEMORY");

    public override DbTransaction BeginWrite(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    public override void BeforeCommit(DbConnection connection, DbTransaction transaction) =>
        CommandCache.Execute(connection, transaction, SqliteSearchIndex.Flush);

    public override bool WorkWhenIdle(DbConnection connection)
    {
        var handle = ((SqliteConnection)connection).Handle;
        var worked = false;
        using var transaction = BeginWrite(connection);
        foreach (var merge in SqliteSearchIndex.MergeSteps)
        {
            // FTS5: work was done when the command changed two rows or more (its own row counts one).
            var before = SQLitePCL.raw.sqlite3_total_changes(handle);
            CommandCache.Execute(connection, transaction, merge);
            worked |= SQLitePCL.raw.sqlite3_total_changes(handle) - before >= 2;
        }

        transaction.Commit();
        return worked;
    }

    public override void CheckOpened(DbConnection connection)
    {
        // SQLite opens a file it may not write read-only without a word, and only the first change
        // fails; a store that cannot take changes is a configuration error now, not a crash later.
        if (!_readOnlyMode && SQLitePCL.raw.sqlite3_db_readonly(((SqliteConnection)connection).Handle, "main") == 1)
        {
            throw new StoreException(ReadOnly(Description));
        }
    }

    // Every schema transaction begins immediate (BeginWrite), which already excludes other processes.
    public override IDisposable LockSchema(DbConnection connection) => NoLock.Instance;

    public override string Describe(Exception exception) => exception switch
    {
        // SQLITE_READONLY: the file, its folder or the mount does not take writes.
        SqliteException { SqliteErrorCode: 8 } => ReadOnly(Description),
        // SQLITE_PERM, SQLITE_CANTOPEN.
        SqliteException { SqliteErrorCode: 3 or 14 } => $"The ticket store {Description} (Storage:ConnectionString) cannot be opened: {exception.Message}",
        _ => $"The ticket store {Description} (Storage:ConnectionString) cannot be used: {exception.Message}",
    };

    private static string? PathOf(SqliteConnectionStringBuilder builder) =>
        builder.DataSource is { Length: > 0 } path && path != ":memory:" && builder.Mode != SqliteOpenMode.Memory
            ? Path.GetFullPath(path)
            : null;

    private static string ReadOnly(string path) =>
        $"The ticket store {path} (Storage:ConnectionString) is read-only; give ticketgw write access to the file and its folder.";

    private static void CreateFolder(string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"The folder of the ticket store {path} (Storage:ConnectionString) cannot be created: {ex.Message}", ex);
        }
    }

    private sealed class NoLock : IDisposable
    {
        public static readonly NoLock Instance = new();

        public void Dispose()
        {
        }
    }
}
