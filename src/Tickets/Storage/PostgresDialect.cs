using System.Buffers.Binary;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// PostgreSQL: the schema steps (written in SQLite's DDL, whose text and checksums stores in the field
/// recorded) are translated here, the one place that knows both: 64-bit integers everywhere (times
/// are Unix milliseconds), identity keys, <c>bytea</c>, and trigger bodies as PL/pgSQL functions.
/// </summary>
internal sealed partial class PostgresDialect : SqlDialect
{
    public override string Name => "PostgreSQL";

    private const int UntilCommitLockSpace = 0x74670002;

    public override bool SharedByNodes => true;

    internal override bool HasPlannerStatistics => true;

    public override string SkipLocked => " FOR UPDATE SKIP LOCKED";

    public override string NowMillis => "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

    public override bool IsUniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override bool IsUnavailable(Exception exception) => exception switch
    {
        // Class 08 (connection exception), 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now),
        // 53300 (too many connections), 40001/40P01 (serialization failure, deadlock: retry).
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState is "57P01" or "57P02" or "57P03" or "53300" or "40001" or "40P01",
        NpgsqlException n => n.IsTransient || n.InnerException is IOException or System.Net.Sockets.SocketException or TimeoutException,
        _ => false,
    };

    public override bool TryLockUntilCommit(DbConnection connection, DbTransaction transaction, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        // The two-key form: a key space of its own ("tg" plus 2), apart from the one-key schema lock. Two keys that
        // share a hash only make one of them try again.
        var hash = BinaryPrimitives.ReadInt32LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return connection.Scalar("SELECT pg_try_advisory_xact_lock(CAST(@space AS integer), CAST(@key AS integer))", transaction, ("@space", UntilCommitLockSpace), ("@key", hash)) is 1L;
    }

    // A table whose rows outgrew twice what the planner knows, once it holds enough rows for that to matter, with
    // ANALYZE over its columns. A column list leaves out the statistics of expression indexes (the search indexes'
    // ticket_search_grams over a sample of up to 30,000 rows, seconds of work) and the counter autovacuum goes
    // by, so the database's own full ANALYZE still comes on its schedule. Only tables this login owns (through its
    // roles): PostgreSQL skips the others with a warning, and autovacuum alone keeps them.
    private const string GrownTablesSql = """
        SELECT c.relname, s.n_live_tup, CAST(GREATEST(c.reltuples, 0) AS bigint),
            format('ANALYZE %I (%s)', c.relname,
                (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
                 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped))
        FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND pg_has_role(c.relowner, 'USAGE')
          AND s.n_live_tup >= @least AND s.n_live_tup > 2 * GREATEST(c.reltuples, 0)
        ORDER BY c.relname
        """;

    // Below this many rows a table read whole costs about as much as an index lookup.
    private const int StatisticsLeastRows = 1000;

    // The planner's statistics decide a prepared statement's plan once, from the table's size then. A store that
    // starts empty and takes a storm keeps plans made for a table of a few rows (a lookup by key reading the whole
    // table, every call slower as it grows) until autovacuum's next ANALYZE, up to a minute or more away.
    internal override IReadOnlyList<GrownTable> RefreshStatistics(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var grown = new List<(GrownTable Table, string Analyze)>();
        using (var command = connection.Command(GrownTablesSql, null, ("@least", StatisticsLeastRows)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                grown.Add((new GrownTable(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)), reader.GetString(3)));
            }
        }

        var refreshed = new List<GrownTable>(grown.Count);
        foreach (var (table, analyze) in grown)
        {
            using var transaction = connection.BeginTransaction();
            // One node at a time; another node's ANALYZE of the same table would only wait for this one.
            if (!TryLockUntilCommit(connection, transaction, "planner statistics\n" + table.Name))
            {
                continue;
            }

            connection.Execute("SET LOCAL lock_timeout = '2s'", transaction);
            connection.Execute(analyze, transaction);
            transaction.Commit();
            refreshed.Add(table);
        }

        return refreshed;
    }

    internal override string Translate(string schemaSql)
    {
        ArgumentNullException.ThrowIfNull(schemaSql);
        var sql = Trigger().Replace(schemaSql, m =>
            $"""
            CREATE FUNCTION {m.Groups["name"].Value}_fn() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN RAISE EXCEPTION '{m.Groups["message"].Value}'; END $fn$;
            CREATE TRIGGER {m.Groups["name"].Value} {m.Groups["when"].Value} ON {m.Groups["table"].Value} FOR EACH ROW EXECUTE FUNCTION {m.Groups["name"].Value}_fn();
            """);
        sql = AutoIncrement().Replace(sql, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
        sql = Integer().Replace(sql, "BIGINT");
        return Blob().Replace(sql, "BYTEA");
    }

    internal override bool HasColumn(DbConnection connection, DbTransaction? transaction, string table, string column) =>
        connection.Scalar(
            // pg_attribute, not information_schema.columns: the view costs the server about 15 ms to plan, at every open.
            "SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(CAST(@t AS text)) AND attname = @c AND attnum > 0 AND NOT attisdropped",
            transaction,
            ("@t", table),
            ("@c", column)) is not null;

    internal override string TablesSql =>
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' ORDER BY table_name";

    internal override DbTransaction BeginSnapshot(DbConnection connection)
    {
        var transaction = connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
        connection.Execute("SET TRANSACTION READ ONLY", transaction);
        return transaction;
    }

    [GeneratedRegex(@"CREATE TRIGGER (?<name>\w+) (?<when>BEFORE (?:UPDATE|DELETE|INSERT)) ON (?<table>\w+)\s+BEGIN SELECT RAISE\(ABORT, '(?<message>[^']*)'\); END;", RegexOptions.CultureInvariant)]
    private static partial Regex Trigger();

    [GeneratedRegex(@"\bINTEGER PRIMARY KEY AUTOINCREMENT\b", RegexOptions.CultureInvariant)]
    private static partial Regex AutoIncrement();

    [GeneratedRegex(@"\bINTEGER\b", RegexOptions.CultureInvariant)]
    private static partial Regex Integer();

    [GeneratedRegex(@"\bBLOB\b", RegexOptions.CultureInvariant)]
    private static partial Regex Blob();
}
