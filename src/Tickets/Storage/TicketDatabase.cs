using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// The SQLite store. Reads open their own pooled connection; writes go through one writer that
/// commits queued changes together (group commit): each change runs in its own savepoint, so one
/// failing change rolls back alone, and every caller is answered only after the fsync of the
/// transaction that holds its change. That keeps "acknowledged means durable" while paying one
/// fsync for many changes.
/// </summary>
/// <remarks>
/// Opening applies the pending schema steps of Tickets and of the modules passed in (each module
/// registers its <see cref="SchemaModule"/>), in one global order, and checks the checksums of the
/// steps already applied. A store opened with fewer modules takes the missing modules' steps when
/// a process with them first opens it; the rules that keep the order sound are on <c>Migrations</c>.
/// </remarks>
public sealed class TicketDatabase : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly int _maxBatch;
    private readonly ILogger<TicketDatabase> _logger;
    private readonly Channel<IWriteItem> _queue = System.Threading.Channels.Channel.CreateUnbounded<IWriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private readonly SqliteConnection _writeConnection;

    /// <summary>Opens (creating if needed) the database and applies pending migrations.</summary>
    public TicketDatabase(StorageOptions options, ILogger<TicketDatabase> logger)
        : this(options, logger, createIfMissing: true)
    {
    }

    /// <summary>
    /// Opens the database and applies pending migrations. With <paramref name="createIfMissing"/>
    /// false a missing file (or folder) is a <see cref="StoreException"/> instead of a new, empty
    /// store: a CLI started in the wrong folder must not quietly report an empty desk.
    /// </summary>
    public TicketDatabase(StorageOptions options, ILogger<TicketDatabase> logger, bool createIfMissing)
        : this(options, logger, createIfMissing, [])
    {
    }

    /// <summary>
    /// Opens the database and applies the pending schema steps of Tickets and of
    /// <paramref name="modules"/>; see <see cref="TicketDatabase(StorageOptions, ILogger{TicketDatabase}, bool)"/>
    /// for <paramref name="createIfMissing"/>.
    /// </summary>
    public TicketDatabase(StorageOptions options, ILogger<TicketDatabase> logger, bool createIfMissing, IEnumerable<SchemaModule> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _maxBatch = options.MaxBatch;
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString)
        {
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
            Pooling = true,
        };
        var path = FilePath(options);
        var created = false;
        if (path is not null)
        {
            builder.DataSource = path;
            if (!File.Exists(path))
            {
                if (!createIfMissing)
                {
                    throw new StoreException($"There is no ticket store at {path} (Storage:ConnectionString); run 'ticketgw init' to create it, or run ticketgw from the folder that holds the store.");
                }

                created = true;
                CreateFolder(path);
            }
            else if (!createIfMissing && builder.Mode == SqliteOpenMode.ReadWriteCreate)
            {
                // Not even a file deleted since the check above may come back as an empty store.
                builder.Mode = SqliteOpenMode.ReadWrite;
            }
        }

        _connectionString = builder.ToString();
        DataSource = builder.DataSource;
        BusyTimeout = options.BusyTimeout;
        SqliteConnection? connection = null;
        try
        {
            connection = Open();
            // SQLite opens a file it may not write read-only without a word, and only the first change
            // fails; a store that cannot take changes is a configuration error now, not a crash later.
            if (builder.Mode != SqliteOpenMode.ReadOnly && SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
            {
                throw new StoreException(ReadOnly(DataSource));
            }

            Migrations.Apply(connection, modules, DataSource, _logger);
        }
        catch (StoreException)
        {
            connection?.Dispose();
            throw;
        }
        catch (SqliteException ex)
        {
            connection?.Dispose();
            throw new StoreException(Describe(ex, DataSource), ex);
        }

        _writeConnection = connection;

        if (created)
        {
            Log.StoreCreated(_logger, DataSource);
        }

        _writer = Task.Factory.StartNew(WriterLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>The full path of the database file <paramref name="options"/> names, or null for an in-memory store.</summary>
    public static string? FilePath(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString);
        return builder.DataSource is { Length: > 0 } path && path != ":memory:" && builder.Mode != SqliteOpenMode.Memory
            ? Path.GetFullPath(path)
            : null;
    }

    /// <summary>The full path of the database file.</summary>
    public string DataSource { get; }

    internal TimeSpan BusyTimeout { get; }

    /// <summary>Opens a connection with the durability settings every connection needs.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // WAL lets the CLI read while the server writes; FULL syncs the WAL on every commit so a
        // committed change survives power loss, not only a process crash.
        connection.Execute($"""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            PRAGMA foreign_keys = ON;
            PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds};
            """);
        return connection;
    }

    /// <summary>Runs a read on its own connection.</summary>
    public T Read<T>(Func<SqliteConnection, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        using var connection = Open();
        return read(connection);
    }

    /// <summary>
    /// Queues a change and completes once it is committed durably. The change runs on the writer
    /// thread inside a savepoint of a shared transaction; it must not keep the connection.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var item = new WriteItem<T>(change, cancellationToken);
        if (!_queue.Writer.TryWrite(item))
        {
            throw new ObjectDisposedException(nameof(TicketDatabase), "The store is shutting down and takes no more changes.");
        }

        return item.Completion.Task;
    }

    /// <summary>Stops taking changes, commits what is queued, and closes.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _writeConnection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>One sentence for an error SQLite gave while opening the store, naming the key and the path.</summary>
    private static string Describe(SqliteException ex, string path) => ex.SqliteErrorCode switch
    {
        // SQLITE_READONLY: the file, its folder or the mount does not take writes.
        8 => ReadOnly(path),
        // SQLITE_PERM, SQLITE_CANTOPEN.
        3 or 14 => $"The ticket store {path} (Storage:ConnectionString) cannot be opened: {ex.Message}",
        _ => $"The ticket store {path} (Storage:ConnectionString) cannot be used: {ex.Message}",
    };

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

    private async Task WriterLoopAsync()
    {
        var batch = new List<IWriteItem>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var item))
            {
                if (!item.IsCancelled)
                {
                    batch.Add(item);
                }
            }

            if (batch.Count > 0)
            {
                CommitBatch(batch);
            }
        }
    }

    private void CommitBatch(List<IWriteItem> batch)
    {
        SqliteTransaction? transaction = null;
        try
        {
            transaction = _writeConnection.BeginTransaction(deferred: false);
            for (var i = 0; i < batch.Count; i++)
            {
                transaction.Save("c");
                try
                {
                    batch[i].Run(_writeConnection, transaction);
                    transaction.Release("c");
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    transaction.Rollback("c");
                    transaction.Release("c");
                    batch[i].Fail(ex);
                }
            }

            transaction.Commit();
            foreach (var item in batch)
            {
                item.Succeed();
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.BatchCommitFailed(_logger, batch.Count, ex);
            try
            {
                transaction?.Rollback();
            }
            catch (SqliteException)
            {
                // The transaction may already be gone (e.g. the commit itself failed); nothing to undo.
            }

            foreach (var item in batch)
            {
                item.Fail(ex);
            }
        }
        finally
        {
            transaction?.Dispose();
        }
    }

    private interface IWriteItem
    {
        bool IsCancelled { get; }

        void Run(SqliteConnection connection, SqliteTransaction transaction);

        void Succeed();

        void Fail(Exception ex);
    }

    private sealed class WriteItem<T>(Func<SqliteConnection, SqliteTransaction, T> change, CancellationToken cancellationToken) : IWriteItem
    {
        private T? _result;
        private Exception? _error;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool IsCancelled
        {
            get
            {
                if (!cancellationToken.IsCancellationRequested)
                {
                    return false;
                }

                Completion.TrySetCanceled(cancellationToken);
                return true;
            }
        }

        public void Run(SqliteConnection connection, SqliteTransaction transaction) => _result = change(connection, transaction);

        // A change that failed inside its savepoint keeps its own error even when the batch commits.
        public void Succeed()
        {
            if (_error is null)
            {
                Completion.TrySetResult(_result!);
            }
            else
            {
                Completion.TrySetException(_error);
            }
        }

        public void Fail(Exception ex)
        {
            _error ??= ex;
            Completion.TrySetException(ex);
        }
    }
}
