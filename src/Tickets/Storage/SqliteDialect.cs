using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace TicketGateway.Tickets.Storage;

/// <summary>SQLite: the schema steps run as written; one writer, so no row locks.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    public override string Name => "Sqlite";

    public override bool SharedByNodes => false;

    public override string SkipLocked => "";

    public override string NowMillis => "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";

    // SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY are extended codes of SQLITE_CONSTRAINT (19).
    public override bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_CANTOPEN: the file is busy or not there.
    public override bool IsUnavailable(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 5 or 6 or 10 or 14 };

    public override bool TryLockUntilCommit(DbConnection connection, DbTransaction transaction, string key) => true;

    internal override string Translate(string schemaSql) => schemaSql;

    internal override bool HasColumn(DbConnection connection, DbTransaction? transaction, string table, string column) =>
        connection.Scalar("SELECT 1 FROM pragma_table_info(@t) WHERE name = @c", transaction, ("@t", table), ("@c", column)) is not null;

    // pragma_table_list's type 'table' leaves out virtual tables and their shadow tables: the search
    // index (FTS5) is derived from the tickets and messages and is never copied, nor is the list of
    // tickets it still has to take (step 631), empty outside a write batch.
    internal override string TablesSql =>
        "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT IN ('schema_migrations', 'ticket_search_pending') ORDER BY name";

    // Deferred: the snapshot is taken by the first read and kept until the end (WAL); an immediate
    // transaction would take the write lock and stop the server's writer for the whole copy.
    internal override DbTransaction BeginSnapshot(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: true);
}
