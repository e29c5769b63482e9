using System.Runtime.CompilerServices;
using System.Data.Common;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// Prepared commands of the writer's connection, kept per SQL text. Microsoft.Data.Sqlite prepares
/// a statement again for every new command object (Npgsql prepares reused statements on the server itself); at thousands of mails a second that preparing
/// is a large part of the cost, so statements inside the write transaction are
/// prepared once and re-bound. Only for a transaction's connection, which one thread uses at a time.
/// </summary>
public static class CommandCache
{
    private static readonly ConditionalWeakTable<DbConnection, Dictionary<string, DbCommand>> Commands = [];

    /// <summary>The command for <paramref name="sql"/> on this connection, bound to the transaction and parameters. Do not dispose it.</summary>
    public static DbCommand Get(DbConnection connection, DbTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var map = Commands.GetOrCreateValue(connection);
        if (!map.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            map[sql] = command;
        }

        command.Transaction = transaction;
        if (SameNames(command.Parameters, parameters))
        {
            // Re-bind the values of the parameters the command already has: Npgsql keeps a parsed,
            // prepared statement bound to its parameter objects, so new objects must not replace them.
            for (var i = 0; i < parameters.Length; i++)
            {
                command.Parameters[i].Value = DbExtensions.ParameterValue(parameters[i].Value);
            }

            return command;
        }

        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.AddParameter(name, value);
        }

        return command;
    }

    private static bool SameNames(DbParameterCollection current, (string Name, object? Value)[] parameters)
    {
        if (current.Count != parameters.Length)
        {
            return false;
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            if (!string.Equals(current[i].ParameterName, parameters[i].Name, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Runs the cached command and returns the first column of the first row.</summary>
    public static object? Scalar(DbConnection connection, DbTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        return DbExtensions.Stored(Get(connection, transaction, sql, parameters).ExecuteScalar());
    }

    /// <summary>Runs the cached command and returns the number of rows changed.</summary>
    public static int Execute(DbConnection connection, DbTransaction transaction, string sql, params (string Name, object? Value)[] parameters) =>
        Get(connection, transaction, sql, parameters).ExecuteNonQuery();

    /// <summary>
    /// Inside a transaction (the writer's, where the same read runs for every change) the cached command;
    /// outside one, a new command that the lease disposes.
    /// </summary>
    public static CommandLease Lease(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters) =>
        transaction is null ? new(connection.Command(sql, null, parameters), owned: true) : new(Get(connection, transaction, sql, parameters), owned: false);
}

/// <summary>A command from <see cref="CommandCache.Lease"/>: disposed with the lease only when it is not the cache's.</summary>
public readonly struct CommandLease(DbCommand command, bool owned) : IDisposable
{
    public DbCommand Command { get; } = command;

    public void Dispose()
    {
        if (owned)
        {
            Command.Dispose();
        }
    }
}
