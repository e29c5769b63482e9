using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Tests.Functional.Storage;

/// <summary>What a store's schema and its migration record look like, read straight from the store.</summary>
internal static partial class SchemaSnapshot
{
    // Each engine's catalogue as lines "type name on table: definition". PostgreSQL lists a table's columns
    // by name (an ALTER TABLE appends, so the position says in which step a column came, not what it is).
    private const string PostgresObjects = """
        SELECT 'table ' || table_name || ' on ' || table_name || ': ' || string_agg(
            column_name || ' ' || data_type || ' ' || is_nullable || ' ' || is_identity || ' ' || COALESCE(column_default, ''), ', ' ORDER BY column_name)
        FROM information_schema.columns WHERE table_schema = current_schema() GROUP BY table_name
        UNION ALL
        SELECT 'index ' || indexname || ' on ' || tablename || ': ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()
        UNION ALL
        SELECT 'constraint ' || conname || ' on ' || conrelid::regclass::text || ': ' || pg_get_constraintdef(oid)
        FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
        UNION ALL
        SELECT 'trigger ' || tgname || ' on ' || tgrelid::regclass::text || ': ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
        UNION ALL
        SELECT 'function ' || p.proname || ' on ' || n.nspname || ': ' || pg_get_functiondef(p.oid)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()
        ORDER BY 1
        """;

    /// <summary>Every table, index and trigger (on PostgreSQL also constraints and functions) with its SQL, whitespace normalised, in name order.</summary>
    public static List<string> Objects(TestDatabase db) => db.Kind == StoreKind.Postgres
        ? Rows(db, PostgresObjects, r => Whitespace().Replace(r.GetString(0), " ").Trim())
        : Rows(db, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name", r =>
            $"{r.GetString(0)} {r.GetString(1)} on {r.GetString(2)}: {(r.IsDBNull(3) ? "" : Whitespace().Replace(r.GetString(3), " ").Trim())}");

    /// <summary>The applied steps as (version, checksum).</summary>
    public static List<(long Version, string? Checksum)> Checksums(TestDatabase db) =>
        Rows(db, "SELECT version, checksum FROM schema_migrations ORDER BY version", r => (r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1)));

    /// <summary>The applied steps as (version, applied_at, checksum): a second open must not change them.</summary>
    public static List<(long Version, long AppliedAt, string? Checksum)> Migrations(TestDatabase db) =>
        Rows(db, "SELECT version, applied_at, checksum FROM schema_migrations ORDER BY version", r => (r.GetInt64(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetString(2)));

    public static long Count(TestDatabase db, string sql) => Rows(db, sql, r => r.GetInt64(0)).Single();

    public static List<T> Rows<T>(TestDatabase db, string sql, Func<DbDataReader, T> read)
    {
        using var connection = db.OpenConnection();
        using var command = connection.Command(sql);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public static void Execute(TestDatabase db, string sql)
    {
        using var connection = db.OpenConnection();
        connection.Execute(sql);
    }

    /// <summary>How the gateway names the store in its messages: the SQLite file, or the PostgreSQL database.</summary>
    public static string Name(TestDatabase db) => db.FilePath ?? "/" + new NpgsqlConnectionStringBuilder(db.ConnectionString).Database;

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
