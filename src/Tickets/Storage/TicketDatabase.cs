using System.Threading.Channels;
using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// The ticket store, on SQLite or PostgreSQL (<see cref="StoreEngine"/>). Reads open their own pooled connection; writes go through one writer that
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
    private readonly StoreEngine _engine;
    private readonly int _maxBatch;
    private readonly ILogger<TicketDatabase> _logger;
    private readonly Channel<IWriteItem> _queue = System.Threading.Channels.Channel.CreateUnbounded<IWriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private static readonly SavepointChain Changes = new("c");
    private const int MaxIdleSteps = 100_000;
    private bool _idleWorkFailing;
    private readonly List<Action> _afterCommit = [];
    private DbConnection? _writeConnection;

    /// <summary>Opens (creating if needed) the database and applies pending migrations.</summary>
    public TicketDatabase(StorageOptions options, ILogger<TicketDatabase> logger)
        : this(options, logger, createIfMissing: true)
    {
    }

    /// <summary>
    /// Opens the database and applies pending migrations. With <paramref name="createIfMissing"/>
    /// false a missing file (or folder, or a PostgreSQL database without a store) is a
    /// <see cref="StoreException"/> instead of a new, empty store: a CLI started in the wrong folder
    /// must not quietly report an empty desk.
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

        // A step number used twice is a programming error, not a store that cannot be used: thrown as it is, before anything opens.
        var steps = Migrations.Ordered(modules);
        SchemaVersions = [.. steps.Select(s => s.Version)];
        _logger = logger;
        _maxBatch = options.MaxBatch;
        _engine = StoreEngine.Create(options, createIfMissing);
        DataSource = _engine.Description;
        DbConnection? connection = null;
        try
        {
            connection = _engine.Open();
            _engine.CheckOpened(connection);
            Migrations.Apply(connection, _engine, steps, DataSource, _logger);
        }
        catch (StoreException)
        {
            connection?.Dispose();
            _engine.Dispose();
            throw;
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or System.Net.Sockets.SocketException or TimeoutException)
        {
            connection?.Dispose();
            _engine.Dispose();
            throw new StoreException(_engine.Describe(ex), ex);
        }

        if (_engine.Dialect.SharedByNodes)
        {
            // PostgreSQL: the connection goes back to the pool and the writer takes one at its first write, so a
            // command that only reads (most CLI commands) runs on this same server connection instead of opening
            // a second one (each costs the server a process). SQLite keeps it: an in-memory store lives in it.
            connection.Dispose();
            connection = null;
        }
        else
        {
            _engine.PrepareWriter(connection);
        }

        _writeConnection = connection;

        if (_engine.Created)
        {
            Log.StoreCreated(_logger, DataSource);
        }

        _writer = Task.Factory.StartNew(WriterLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>
    /// Starts opening the store's first connection in the background when <paramref name="options"/> name
    /// PostgreSQL (a no-op for SQLite, whose open is in process): a short-lived process (a CLI command)
    /// overlaps it with the rest of its start-up. The store opened next with the same settings takes that
    /// connection, or the error opening it met.
    /// </summary>
    public static void WarmUp(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.IsPostgres)
        {
            PostgresEngine.WarmUp(options);
        }
    }

    /// <summary>Closes the connection <see cref="WarmUp"/> opened if no store took it.</summary>
    public static void ForgetWarmUp() => PostgresEngine.ForgetWarmUp();

    /// <summary>The schema steps this process knows and applied at open (Tickets' and every registered module's), ascending.</summary>
    public IReadOnlyList<int> SchemaVersions { get; } = [];

    /// <summary>The full path of the database file <paramref name="options"/> names, or null for an in-memory or PostgreSQL store.</summary>
    public static string? FilePath(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.IsPostgres ? null : SqliteEngine.PathOf(options.ConnectionString);
    }

    /// <summary>The store as users name it: the full path of the database file, or PostgreSQL's host, port and database.</summary>
    public string DataSource { get; }

    /// <summary>The full path of the database file, or null when the store is not a local file (PostgreSQL).</summary>
    public string? FileName => _engine.FilePath;

    /// <summary>The engine's SQL dialect.</summary>
    public SqlDialect Dialect => _engine.Dialect;

    /// <summary>True when this open found no store and created a new, empty one.</summary>
    public bool Created => _engine.Created;

    /// <summary>Opens a connection with the settings every connection needs.</summary>
    public DbConnection Open() => _engine.Open();

    /// <summary>Runs a read on its own connection.</summary>
    public T Read<T>(Func<DbConnection, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        using var connection = Open();
        return read(connection);
    }

    /// <summary>
    /// Queues a change and completes once it is committed durably. The change runs on the writer
    /// thread inside a savepoint of a shared transaction; it must not keep the connection.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, T> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return Queue(new WriteItem<T>(change, alone: false, cancellationToken));
    }

    /// <summary>
    /// Queues a change that sets savepoints of its own around many units (the intake's batch of mails: one
    /// per mail) and completes once it is committed durably. It commits in a transaction of its own, with
    /// no savepoint of the writer around it: SQLite keeps the pages a savepoint changes until the outermost
    /// one ends, so under the writer's savepoint a batch of 500 mails kept every page each mail changed
    /// (megabytes in memory, or a temporary file written page by page). When the change throws, the
    /// whole transaction is rolled back and nothing of it is kept.
    /// </summary>
    public Task<T> WriteAloneAsync<T>(Func<DbConnection, DbTransaction, T> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return Queue(new WriteItem<T>(change, alone: true, cancellationToken));
    }

    private Task<T> Queue<T>(WriteItem<T> item)
    {
        if (!_queue.Writer.TryWrite(item))
        {
            throw new ObjectDisposedException(nameof(TicketDatabase), "The store is shutting down and takes no more changes.");
        }

        return item.Completion.Task;
    }

    /// <summary>
    /// Runs <paramref name="action"/> once the batch of the change running on <paramref name="connection"/>
    /// has committed (not at all when it fails), so a worker woken by it finds the change; on any other
    /// connection at once. The action runs on the writer thread: it must be quick and must not throw.
    /// </summary>
    public void AfterCommit(DbConnection connection, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (ReferenceEquals(connection, _writeConnection))
        {
            _afterCommit.Add(action);
        }
        else
        {
            action();
        }
    }

    /// <summary>Stops taking changes, commits what is queued, and closes.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        if (_writeConnection is not null)
        {
            await _writeConnection.DisposeAsync().ConfigureAwait(false);
        }

        _engine.Dispose();
    }

    private async Task WriterLoopAsync()
    {
        var batch = new List<IWriteItem>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            // A change written alone takes a batch to itself.
            while (batch.Count < _maxBatch && _queue.Reader.TryPeek(out var next) && (batch.Count == 0 || !(next.Alone || batch[0].Alone)) && _queue.Reader.TryRead(out var item))
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

            WorkWhileIdle();
        }
    }

    // The engine's upkeep (SQLite: merging the search index) in short steps while nothing is queued; a change
    // that arrives waits for one step at most. Bounded: past the cap the rest waits for the next idle spell.
    private void WorkWhileIdle()
    {
        if (_writeConnection is not { State: System.Data.ConnectionState.Open } connection)
        {
            return;
        }

        try
        {
            for (var step = 0; step < MaxIdleSteps && !_queue.Reader.TryPeek(out _) && _engine.WorkWhenIdle(connection); step++)
            {
            }

            _idleWorkFailing = false;
        }
        catch (DbException ex)
        {
            // Another process holding the store's write lock, say: nothing is lost, the work waits. Logged once until it works again.
            if (!_idleWorkFailing)
            {
                Log.IdleWorkFailed(_logger, ex.Message);
            }

            _idleWorkFailing = true;
        }
    }

    private void CommitBatch(List<IWriteItem> batch)
    {
        DbTransaction? transaction = null;
        try
        {
            // A connection lost with the database (PostgreSQL restarted, a failover) is opened again
            // for the next batch; the batch that saw it go failed as a whole and was answered so.
            var connection = _writeConnection ??= OpenWriteConnection();
            transaction = _engine.BeginWrite(connection);
            if (batch is [{ Alone: true } alone])
            {
                if (!RunAlone(alone, connection, transaction))
                {
                    transaction.Rollback();
                    return;
                }
            }
            else
            {
                RunEachInASavepoint(batch, connection, transaction);
            }

            _engine.BeforeCommit(connection, transaction);
            transaction.Commit();
            foreach (var item in batch)
            {
                item.Succeed();
            }

            foreach (var action in _afterCommit)
            {
                action();
            }
        }
        catch (Exception thrown) when (thrown is not OutOfMemoryException)
        {
            // A connection broken mid-batch surfaces from Npgsql as ObjectDisposedException (the transaction
            // went with the connection) around the database's own error: callers get that error, which they
            // know as "the store is unavailable" (the gRPC edge answers UNAVAILABLE, not UNKNOWN).
            var ex = thrown is not DbException && thrown.InnerException is DbException cause ? cause : thrown;
            Log.BatchCommitFailed(_logger, batch.Count, ex);
            try
            {
                transaction?.Rollback();
            }
            catch (Exception rollback) when (rollback is DbException or InvalidOperationException)
            {
                // The transaction may already be gone (e.g. the commit itself failed); nothing to undo.
            }

            if (_writeConnection is not null)
            {
                // Writes held back for this batch went with it.
                CommandCache.DiscardDeferred(_writeConnection);
            }

            if (_writeConnection is { State: not System.Data.ConnectionState.Open } broken)
            {
                broken.Dispose();
                _writeConnection = null;
            }

            foreach (var item in batch)
            {
                item.Fail(ex);
            }
        }
        finally
        {
            _afterCommit.Clear();
            transaction?.Dispose();
        }
    }

    // On PostgreSQL the writer holds back the writes whose outcome a change does not read (history rows,
    // queued updates and mail) and sends them with its next statement: one round trip where there were several.
    // (SQLite's connection, kept from the constructor, cannot batch and needs no round trips.)
    private DbConnection OpenWriteConnection()
    {
        var connection = _engine.Open();
        _engine.PrepareWriter(connection);
        CommandCache.HoldBackWrites(connection);
        return connection;
    }

    // Each change in its own savepoint, so one failing change rolls back alone; a failing change's
    // after-commit actions are dropped with it: only committed changes wake anyone. The batch's first
    // savepoint and a rollback go through the transaction's own Save and Rollback: on a connection that
    // broke with the database (PostgreSQL restarted), a cached command fails with an error that does not
    // say so, and the callers (the operator's gRPC calls) got UNKNOWN instead of UNAVAILABLE. The writes a
    // change held back go with the next change's savepoint (or before the commit); when one fails, the
    // change that made it fails alone, as if it had thrown.
    private void RunEachInASavepoint(List<IWriteItem> batch, DbConnection connection, DbTransaction transaction)
    {
        var actionsBefore = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            if (i == 0)
            {
                transaction.Save("c");
            }
            else if (Changes.NextAfterAnother(connection, transaction) is { } previous)
            {
                FailRolledBack(batch[i - 1], actionsBefore, previous);
            }

            actionsBefore = _afterCommit.Count;
            try
            {
                batch[i].Run(connection, transaction);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                CommandCache.DiscardDeferred(connection);
                transaction.Rollback("c");
                FailRolledBack(batch[i], actionsBefore, ex);
            }
        }

        if (batch.Count > 0 && Changes.Finish(connection, transaction, release: false) is { } last)
        {
            FailRolledBack(batch[^1], actionsBefore, last);
        }
    }

    // A change alone in its transaction: no savepoint; when it (or a write it held back) fails, the caller
    // rolls the transaction back (and drops its after-commit actions). False when it failed (and was answered so).
    private static bool RunAlone(IWriteItem item, DbConnection connection, DbTransaction transaction)
    {
        try
        {
            item.Run(connection, transaction);
            CommandCache.SendDeferred(connection, transaction);
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            CommandCache.DiscardDeferred(connection);
            item.Fail(ex);
            return false;
        }
    }

    private void FailRolledBack(IWriteItem item, int actionsBefore, Exception ex)
    {
        _afterCommit.RemoveRange(actionsBefore, _afterCommit.Count - actionsBefore);
        item.Fail(ex);
    }

    private interface IWriteItem
    {
        bool IsCancelled { get; }

        bool Alone { get; }

        void Run(DbConnection connection, DbTransaction transaction);

        void Succeed();

        void Fail(Exception ex);
    }

    private sealed class WriteItem<T>(Func<DbConnection, DbTransaction, T> change, bool alone, CancellationToken cancellationToken) : IWriteItem
    {
        public bool Alone => alone;

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

        public void Run(DbConnection connection, DbTransaction transaction) => _result = change(connection, transaction);

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
