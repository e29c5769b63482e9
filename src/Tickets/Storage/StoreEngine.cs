using System.Data.Common;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// Opens connections to the configured database and knows how that engine starts a write and guards
/// its schema steps. <see cref="TicketDatabase"/> is the same on both engines on top of it.
/// </summary>
internal abstract class StoreEngine : IDisposable
{
    /// <summary>The engine's SQL dialect.</summary>
    public abstract SqlDialect Dialect { get; }

    /// <summary>What users see as the store's name in messages: a file path, or host and database.</summary>
    public abstract string Description { get; }

    /// <summary>The full path of the database file, or null when the store is not a local file.</summary>
    public virtual string? FilePath => null;

    /// <summary>True when opening found no store and created a new, empty one.</summary>
    public bool Created { get; protected set; }

    /// <summary>The engine for <paramref name="options"/>; nothing is opened yet.</summary>
    public static StoreEngine Create(StorageOptions options, bool createIfMissing)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.IsPostgres ? new PostgresEngine(options, createIfMissing) : new SqliteEngine(options, createIfMissing);
    }

    /// <summary>Opens a connection with the settings every connection of this engine needs.</summary>
    public abstract DbConnection Open();

    /// <summary>Sets up the connection the writer keeps, once the schema steps have run on it.</summary>
    public virtual void PrepareWriter(DbConnection connection)
    {
    }

    /// <summary>Begins a transaction that writes (on SQLite it takes the write lock at once).</summary>
    public abstract DbTransaction BeginWrite(DbConnection connection);

    /// <summary>The engine's own work at the end of every write batch, in its transaction, after the last change.</summary>
    public virtual void BeforeCommit(DbConnection connection, DbTransaction transaction)
    {
    }

    /// <summary>
    /// The engine's own work while the writer has nothing queued, one short step in its own transaction on
    /// the writer's connection: true when the step did some (the writer asks again while it stays idle).
    /// </summary>
    public virtual bool WorkWhenIdle(DbConnection connection) => false;

    /// <summary>Checks the first connection before the schema is applied (a read-only file, an empty database the CLI must not fill).</summary>
    public abstract void CheckOpened(DbConnection connection);

    /// <summary>Holds other processes off the schema steps until disposed.</summary>
    public abstract IDisposable LockSchema(DbConnection connection);

    /// <summary>One sentence for an error the engine gave while opening the store, naming the key.</summary>
    public abstract string Describe(Exception exception);

    public virtual void Dispose()
    {
    }
}
