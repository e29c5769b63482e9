using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace TicketGateway.OperatorGateway.Tests.Functional.Storage;

/// <summary>What a store's schema and its migration record look like, read straight from the file.</summary>
internal static partial class SchemaSnapshot
{
    /// <summary>Every table, index and trigger with its SQL, whitespace normalised, in name order.</summary>
    public static List<string> Objects(string dbPath) =>
        Rows(dbPath, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name", r =>
            $"{r.GetString(0)} {r.GetString(1)} on {r.GetString(2)}: {(r.IsDBNull(3) ? "" : Whitespace().Replace(r.GetString(3), " ").Trim())}");

    /// <summary>The applied steps as (version, checksum).</summary>
    public static List<(long Version, string? Checksum)> Checksums(string dbPath) =>
        Rows(dbPath, "SELECT version, checksum FROM schema_migrations ORDER BY version", r => (r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1)));

    /// <summary>The applied steps as (version, applied_at, checksum): a second open must not change them.</summary>
    public static List<(long Version, long AppliedAt, string? Checksum)> Migrations(string dbPath) =>
        Rows(dbPath, "SELECT version, applied_at, checksum FROM schema_migrations ORDER BY version", r => (r.GetInt64(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetString(2)));

    public static long Count(string dbPath, string sql) => Rows(dbPath, sql, r => r.GetInt64(0)).Single();

    public static List<T> Rows<T>(string dbPath, string sql, Func<SqliteDataReader, T> read)
    {
        using var connection = new SqliteConnection($"Data Source={dbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public static void Execute(string dbPath, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={dbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
