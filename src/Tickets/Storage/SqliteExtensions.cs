using Microsoft.Data.Sqlite;

namespace TicketGateway.Tickets.Storage;

/// <summary>Small helpers so SQL stays next to the code that runs it.</summary>
public static class SqliteExtensions
{
    /// <summary>Creates a command bound to the transaction, with parameters given as (name, value) pairs.</summary>
    public static SqliteCommand Command(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Runs a statement and returns the number of rows changed.</summary>
    public static int Execute(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.Command(sql, transaction, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>Runs a query and returns the first column of the first row.</summary>
    public static object? Scalar(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.Command(sql, transaction, parameters);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    /// <summary>Reads a nullable string column.</summary>
    public static string? StringOrNull(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Reads a nullable integer column.</summary>
    public static long? Int64OrNull(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    /// <summary>Reads a Unix-milliseconds column as an instant.</summary>
    public static DateTimeOffset Instant(this SqliteDataReader reader, int ordinal) =>
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    /// <summary>Reads a nullable Unix-milliseconds column as an instant.</summary>
    public static DateTimeOffset? InstantOrNull(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    /// <summary>Converts an instant to the stored form (Unix milliseconds, portable to PostgreSQL bigint).</summary>
    public static long ToDb(this DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    /// <summary>Converts a nullable instant to the stored form.</summary>
    public static object? ToDb(this DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();
}
