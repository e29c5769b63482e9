using System.Data.Common;

namespace TicketGateway.Tickets.Storage;

/// <summary>Small helpers so SQL stays next to the code that runs it.</summary>
public static class DbExtensions
{
    /// <summary>Creates a command bound to the transaction, with parameters given as (name, value) pairs.</summary>
    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // Writes the store's writer held back on this connection go first, so the command sees them.
        CommandCache.SendDeferred(connection, transaction);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.AddParameter(name, value);
        }

        return command;
    }

    /// <summary>
    /// Adds a parameter in the stored form both engines share: flags as 0/1 and every integer as a
    /// 64-bit one (the columns are BIGINT on PostgreSQL; a cached command first bound to NULL and then
    /// to a 32-bit value would send 4 bytes where the prepared statement expects 8), null as SQL NULL.
    /// </summary>
    public static void AddParameter(this DbCommand command, string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = ParameterValue(value);
        command.Parameters.Add(parameter);
    }

    /// <summary>A value in the form <see cref="AddParameter"/> stores it.</summary>
    public static object ParameterValue(object? value) => value switch
    {
        null => DBNull.Value,
        bool b => b ? 1L : 0L,
        int i => (long)i,
        uint u => (long)u,
        ulong u => checked((long)u),
        _ => value,
    };

    /// <summary>Runs a statement and returns the number of rows changed.</summary>
    public static int Execute(this DbConnection connection, string sql, DbTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.Command(sql, transaction, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>Runs a query and returns the first column of the first row.</summary>
    public static object? Scalar(this DbConnection connection, string sql, DbTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.Command(sql, transaction, parameters);
        return Stored(command.ExecuteScalar());
    }

    /// <summary>
    /// A scalar result in the form SQLite gives it, whatever the engine: integers as <see cref="long"/>
    /// (PostgreSQL also has 32-bit integers, booleans and numeric sums), other values as they are, NULL as null.
    /// </summary>
    public static object? Stored(object? value) => value switch
    {
        null or DBNull => null,
        int i => (long)i,
        short s => (long)s,
        bool b => b ? 1L : 0L,
        decimal d when decimal.Truncate(d) == d && d is >= long.MinValue and <= long.MaxValue => (long)d,
        decimal d => (double)d,
        _ => value,
    };

    /// <summary>Reads a nullable string column.</summary>
    public static string? StringOrNull(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Reads a nullable integer column.</summary>
    public static long? Int64OrNull(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    /// <summary>Reads a Unix-milliseconds column as an instant.</summary>
    public static DateTimeOffset Instant(this DbDataReader reader, int ordinal) =>
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    /// <summary>Reads a nullable Unix-milliseconds column as an instant.</summary>
    public static DateTimeOffset? InstantOrNull(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    /// <summary>Converts an instant to the stored form (Unix milliseconds, portable to PostgreSQL bigint).</summary>
    public static long ToDb(this DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    /// <summary>Converts a nullable instant to the stored form.</summary>
    public static object? ToDb(this DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();
}
