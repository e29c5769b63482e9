using System.Data.Common;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// What differs between the two engines in SQL and in their errors, in one place: the module code
/// writes portable SQL (named <c>@</c> parameters, <c>RETURNING</c>, <c>ON CONFLICT</c>, Unix-millisecond
/// times) and asks the dialect only for the few things that cannot be portable.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>The embedded SQLite dialect.</summary>
    public static SqlDialect Sqlite { get; } = new SqliteDialect();

    /// <summary>The PostgreSQL dialect.</summary>
    public static SqlDialect Postgres { get; } = new PostgresDialect();

    /// <summary>The engine's name as users configure it (<c>Storage:Provider</c>).</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The clause that makes a claiming <c>SELECT</c> lock its rows and pass over rows another node
    /// holds (<c>FOR UPDATE SKIP LOCKED</c>); empty on SQLite, where the one writer already excludes others.
    /// </summary>
    public abstract string SkipLocked { get; }

    /// <summary>
    /// True when several gateway nodes may serve the store at once (PostgreSQL); false when one
    /// process serves it (SQLite: the serve lock beside the file), so anything it finds claimed at
    /// start-up was left by its own predecessor.
    /// </summary>
    public abstract bool SharedByNodes { get; }

    /// <summary>
    /// The database's clock now, in Unix milliseconds, as an SQL expression: leases are timed by the one
    /// clock every node shares, not by each node's own.
    /// </summary>
    public abstract string NowMillis { get; }

    /// <summary>The dialect of an open connection.</summary>
    public static SqlDialect Of(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection is Npgsql.NpgsqlConnection ? Postgres : Sqlite;
    }

    /// <summary>True when the error is a unique-constraint violation (another writer inserted the same key first).</summary>
    public abstract bool IsUniqueViolation(Exception exception);

    /// <summary>True when the error says the database cannot be reached or went away (retry later), not that the statement is wrong.</summary>
    public abstract bool IsUnavailable(Exception exception);

    /// <summary>
    /// Takes a lock named by <paramref name="key"/> until the transaction ends, without waiting: false when another
    /// node's transaction holds it now. For work two nodes may start on the same key at once (one operator
    /// order_id): the loser tries again once the winner committed, instead of waiting on the winner's uncommitted
    /// row while its own batch holds rows the winner's batch waits for (a deadlock, found only after a second).
    /// Always true on SQLite, whose one writer already excludes every other.
    /// </summary>
    public abstract bool TryLockUntilCommit(DbConnection connection, DbTransaction transaction, string key);

    /// <summary>The schema step's SQL as this engine runs it (the steps are written in SQLite's DDL).</summary>
    internal abstract string Translate(string schemaSql);

    /// <summary>True when the table has the column.</summary>
    internal abstract bool HasColumn(DbConnection connection, DbTransaction? transaction, string table, string column);

    /// <summary>The query listing the store's tables, one name a row, without <c>schema_migrations</c> and the engine's own.</summary>
    internal abstract string TablesSql { get; }

    /// <summary>
    /// Begins a transaction whose reads all see one snapshot of the store, without holding off writers
    /// (a copy of a store being served).
    /// </summary>
    internal abstract DbTransaction BeginSnapshot(DbConnection connection);

    /// <summary>Whether the engine's query planner goes by table statistics (PostgreSQL), which <see cref="RefreshStatistics"/> keeps up.</summary>
    internal virtual bool HasPlannerStatistics => false;

    /// <summary>
    /// Brings the query planner's statistics up to date for tables that have grown far past what it
    /// knows, and returns them. Nothing on SQLite, whose lookups by key never depend on statistics.
    /// </summary>
    internal virtual IReadOnlyList<GrownTable> RefreshStatistics(DbConnection connection) => [];
}

/// <summary>A table whose planner statistics were refreshed: its rows now, and what the planner knew before.</summary>
internal readonly record struct GrownTable(string Name, long Rows, long Known);
