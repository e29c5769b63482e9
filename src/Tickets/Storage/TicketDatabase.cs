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
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _maxBatch = options.MaxBatch;
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString)
        {
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
            Pooling = true,
        };
        if (builder.DataSource is { Length: > 0 } path && path != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var full = Path.GetFullPath(path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            builder.DataSource = full;
        }

        _connectionString = builder.ToString();
        DataSource = builder.DataSource;
        BusyTimeout = options.BusyTimeout;
        _writeConnection = Open();
        Migrations.Apply(_writeConnection, _logger);
        _writer = Task.Factory.StartNew(WriterLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
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
