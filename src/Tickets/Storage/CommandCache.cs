using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// Prepared commands of the writer's connection, kept per SQL text. Microsoft.Data.Sqlite prepares
/// a statement again for every new command object; at thousands of mails a second that preparing
/// is a large part of the cost, so statements inside the write transaction are
/// prepared once and re-bound. Only for a transaction's connection, which one thread uses at a time.
/// </summary>
public static class CommandCache
{
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Commands = [];

    /// <summary>The command for <paramref name="sql"/> on this connection, bound to the transaction and parameters. Do not dispose it.</summary>
    public static SqliteCommand Get(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var map = Commands.GetOrCreateValue(connection);
        if (!map.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            map[sql] = command;
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Runs the cached command and returns the first column of the first row.</summary>
    public static object? Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var value = Get(connection, transaction, sql, parameters).ExecuteScalar();
        return value is DBNull ? null : value;
    }

    /// <summary>Runs the cached command and returns the number of rows changed.</summary>
    public static int Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters) =>
        Get(connection, transaction, sql, parameters).ExecuteNonQuery();
}
