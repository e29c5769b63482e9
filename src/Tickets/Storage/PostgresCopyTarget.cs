using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// The PostgreSQL side of <see cref="StoreCopy"/>: whether the target is empty, its tables' columns and
/// foreign keys as the schema steps made them, and the rows streamed in with binary <c>COPY</c>.
/// </summary>
internal static partial class PostgresCopyTarget
{
    /// <summary>A column of a target table: its name, its type, and whether the table numbers it (identity).</summary>
    public sealed record Column(string Name, NpgsqlDbType Type, bool Identity);

    /// <summary>A table or column name in SQL; the names come from the stores' catalogs, so anything but a plain name is refused.</summary>
    public static string Quote(string name) =>
        PlainName().IsMatch(name) ? $"\"{name}\"" : throw new StoreException($"storage copy: the table or column name '{name}' is not a plain SQL name; nothing was copied.");

    /// <summary>
    /// Refuses a target that holds a ticket store already (schema steps recorded before this copy) or
    /// rows in any of <paramref name="tables"/>; an unreachable target is a <see cref="StoreException"/> naming <c>--to</c>.
    /// </summary>
    public static async Task CheckEmptyAsync(string connectionString, string name, IReadOnlyCollection<string> tables, CancellationToken cancellationToken)
    {
        var used = new List<string>();
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            var existing = new List<string>();
            await using (var command = new NpgsqlCommand(SqlDialect.Postgres.TablesSql, connection))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    existing.Add(reader.GetString(0));
                }
            }

            if (connection.Scalar("SELECT 1 WHERE to_regclass('schema_migrations') IS NOT NULL") is not null)
            {
                existing.Add("schema_migrations");
            }

            foreach (var table in existing.Where(t => t == "schema_migrations" || tables.Contains(t)))
            {
                if (connection.Scalar($"SELECT 1 FROM {Quote(table)} LIMIT 1") is not null)
                {
                    used.Add(table);
                }
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new StoreException(ex is PostgresException { SqlState: "3D000" }
                ? $"storage copy --to: the PostgreSQL database {name} does not exist; create it first (CREATE DATABASE)."
                : $"storage copy --to: the PostgreSQL database {name} cannot be used: {ex.Message}", ex);
        }

        if (used.Count > 0)
        {
            throw new StoreCopyRefusedException($"storage copy: the PostgreSQL database {name} (--to) is not empty ({string.Join(", ", used)} hold rows); copy only into a new, empty database (CREATE DATABASE).");
        }
    }

    /// <summary>The columns of <paramref name="table"/> in their order.</summary>
    public static IReadOnlyList<Column> Columns(DbConnection connection, DbTransaction transaction, string table)
    {
        var columns = new List<Column>();
        using var command = connection.Command(
            "SELECT column_name, data_type, is_identity FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @t ORDER BY ordinal_position",
            transaction,
            ("@t", table));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var type = reader.GetString(1) switch
            {
                "bigint" => NpgsqlDbType.Bigint,
                "integer" => NpgsqlDbType.Integer,
                "text" => NpgsqlDbType.Text,
                "bytea" => NpgsqlDbType.Bytea,
                "double precision" => NpgsqlDbType.Double,
                "boolean" => NpgsqlDbType.Boolean,
                var other => throw new StoreException($"storage copy: the column {table}.{reader.GetString(0)} has the type {other}, which the copy does not know; nothing was copied."),
            };
            columns.Add(new Column(reader.GetString(0), type, reader.GetString(2) == "YES"));
        }

        return columns;
    }

    /// <summary>
    /// <paramref name="tables"/> with every table after the tables its foreign keys point to, read from
    /// the target's catalog (the schema steps made both stores' keys alike).
    /// </summary>
    /// <remarks>
    /// The order keeps the foreign keys checked while the rows go in, so the copy also proves the
    /// source's references hold. The alternative, <c>SET session_replication_role = replica</c>, needs a
    /// superuser, which the desk's database user normally is not. A table's references to itself
    /// (<c>tickets.repeat_of</c>) are checked at the end of its one <c>COPY</c> statement, so its rows' order does not matter.
    /// </remarks>
    public static IReadOnlyList<string> ParentsFirst(DbConnection connection, IReadOnlyCollection<string> tables)
    {
        var parents = tables.ToDictionary(t => t, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        using (var command = connection.Command("""
            SELECT child.relname, parent.relname
            FROM pg_constraint c
            JOIN pg_class child ON child.oid = c.conrelid
            JOIN pg_class parent ON parent.oid = c.confrelid
            WHERE c.contype = 'f' AND child.relnamespace = current_schema()::regnamespace
            """))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                if (reader.GetString(0) != reader.GetString(1) && parents.TryGetValue(reader.GetString(0), out var set))
                {
                    set.Add(reader.GetString(1));
                }
            }
        }

        var order = new List<string>(tables.Count);
        while (order.Count < tables.Count)
        {
            var ready = parents.Keys.Where(t => !order.Contains(t) && parents[t].All(order.Contains)).Order(StringComparer.Ordinal).ToList();
            if (ready.Count == 0)
            {
                throw new StoreException($"storage copy: the foreign keys of {string.Join(", ", parents.Keys.Except(order))} form a cycle; nothing was copied.");
            }

            order.AddRange(ready);
        }

        return order;
    }

    /// <summary>
    /// Streams the rows of <paramref name="reader"/> (the source's columns in the order of
    /// <paramref name="columns"/>) into <paramref name="table"/> with binary <c>COPY</c>, ids included;
    /// one row is in memory at a time, so raw mail of many megabytes passes through without piling up.
    /// </summary>
    public static async Task ImportAsync(NpgsqlConnection connection, string table, IReadOnlyList<Column> columns, DbDataReader reader, CancellationToken cancellationToken)
    {
        var list = string.Join(", ", columns.Select(c => Quote(c.Name)));
        await using var import = await connection.BeginBinaryImportAsync($"COPY {Quote(table)} ({list}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            await import.StartRowAsync(cancellationToken);
            for (var i = 0; i < columns.Count; i++)
            {
                await WriteAsync(import, reader.IsDBNull(i) ? null : reader.GetValue(i), columns[i].Type, cancellationToken);
            }
        }

        await import.CompleteAsync(cancellationToken);
    }

    /// <summary>Moves each identity sequence of <paramref name="table"/> past the highest copied value, so new rows do not collide.</summary>
    public static void RestartIdentities(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<Column> columns)
    {
        foreach (var column in columns.Where(c => c.Identity))
        {
            connection.Execute(
                $"SELECT setval(pg_get_serial_sequence(@t, @c), m) FROM (SELECT max({Quote(column.Name)}) AS m FROM {Quote(table)}) highest WHERE m IS NOT NULL",
                transaction,
                ("@t", Quote(table)),
                ("@c", column.Name));
        }
    }

    // SQLite keeps a value in the storage class it was written with; each is converted to the column's type.
    private static Task WriteAsync(NpgsqlBinaryImporter import, object? value, NpgsqlDbType type, CancellationToken cancellationToken) => value switch
    {
        null => import.WriteNullAsync(cancellationToken),
        _ => type switch
        {
            NpgsqlDbType.Bigint => import.WriteAsync(Convert.ToInt64(value, CultureInfo.InvariantCulture), type, cancellationToken),
            NpgsqlDbType.Integer => import.WriteAsync(Convert.ToInt32(value, CultureInfo.InvariantCulture), type, cancellationToken),
            NpgsqlDbType.Double => import.WriteAsync(Convert.ToDouble(value, CultureInfo.InvariantCulture), type, cancellationToken),
            NpgsqlDbType.Boolean => import.WriteAsync(Convert.ToBoolean(value, CultureInfo.InvariantCulture), type, cancellationToken),
            NpgsqlDbType.Bytea => import.WriteAsync(value as byte[] ?? Encoding.UTF8.GetBytes(Convert.ToString(value, CultureInfo.InvariantCulture)!), type, cancellationToken),
            _ => import.WriteAsync(Convert.ToString(value, CultureInfo.InvariantCulture)!, type, cancellationToken),
        },
    };

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainName();
}
