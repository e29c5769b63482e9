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
    private static readonly ConditionalWeakTable<DbConnection, List<DbBatchCommand>> HeldBack = [];

    /// <summary>
    /// Lets <see cref="Defer"/> hold writes back on this connection when it can send statements in batches
    /// (PostgreSQL's, not SQLite's: in process, a statement costs no round trip). For the store's writer,
    /// which sends what it held back at the end of each change (<see cref="SendDeferred"/>) and throws it
    /// away when the change fails (<see cref="DiscardDeferred"/>).
    /// </summary>
    public static void HoldBackWrites(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.CanCreateBatch)
        {
            HeldBack.AddOrUpdate(connection, []);
        }
    }

    /// <summary>True when <see cref="HoldBackWrites"/> was called for this connection and it holds writes back.</summary>
    public static bool HoldsBackWrites(DbConnection connection) => HeldBack.TryGetValue(connection, out _);

    /// <summary>True when writes wait on this connection to be sent.</summary>
    public static bool HasDeferred(DbConnection connection) => HeldBack.TryGetValue(connection, out var held) && held.Count > 0;

    /// <summary>
    /// A write whose outcome the change does not read (a history row, a queued update): on a connection that
    /// holds writes back, sent with the connection's next statement, in the same round trip; elsewhere run at
    /// once. Its failure fails the change all the same (the writer sends it before the change's savepoint
    /// is released), but surfaces at a later statement: a write whose error the change itself handles must
    /// not be deferred.
    /// </summary>
    public static void Defer(DbConnection connection, DbTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        if (!HeldBack.TryGetValue(connection, out var held))
        {
            Execute(connection, transaction, sql, parameters);
            return;
        }

        held.Add(BatchCommand(connection, sql, parameters));
    }

    /// <summary>Sends the writes held back on this connection, in one round trip; a no-op when none wait.</summary>
    public static void SendDeferred(DbConnection connection, DbTransaction? transaction)
    {
        if (HasDeferred(connection))
        {
            using var batch = TakeDeferred(connection, transaction);
            batch.ExecuteNonQuery();
        }
    }

    /// <summary>Drops the writes held back on this connection (the change that made them is being rolled back).</summary>
    public static void DiscardDeferred(DbConnection connection)
    {
        if (HeldBack.TryGetValue(connection, out var held))
        {
            held.Clear();
        }
    }

    private static DbBatchCommand BatchCommand(DbConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateBatch().CreateBatchCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = DbExtensions.ParameterValue(value);
            command.Parameters.Add(parameter);
        }

        return command;
    }

    // The caller's own statement, after the held-back writes of the batch.
    private static DbBatchCommand AddLast(DbBatch batch, DbConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var last = BatchCommand(connection, sql, parameters);
        batch.BatchCommands.Add(last);
        return last;
    }

    // The held-back writes as one batch (and the list emptied), for the caller to add its own statement to and run.
    private static DbBatch TakeDeferred(DbConnection connection, DbTransaction? transaction)
    {
        var held = HeldBack.TryGetValue(connection, out var list) ? list : [];
        var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var command in held)
        {
            batch.BatchCommands.Add(command);
        }

        held.Clear();
        return batch;
    }

    /// <summary>The command for <paramref name="sql"/> on this connection, bound to the transaction and parameters. Do not dispose it.</summary>
    /// <remarks>Writes held back on the connection are sent first, so the command sees them.</remarks>
    public static DbCommand Get(DbConnection connection, DbTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        SendDeferred(connection, transaction);
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
    /// <remarks>With writes held back on the connection, they and this statement go in one round trip.</remarks>
    public static object? Scalar(DbConnection connection, DbTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        if (!HasDeferred(connection))
        {
            return DbExtensions.Stored(Get(connection, transaction, sql, parameters).ExecuteScalar());
        }

        using var batch = TakeDeferred(connection, transaction);
        AddLast(batch, connection, sql, parameters);
        // The held-back writes return no rows (the reader passes over them): the first result with columns is this statement's.
        using var reader = batch.ExecuteReader();
        do
        {
            if (reader.FieldCount > 0)
            {
                return DbExtensions.Stored(reader.Read() ? reader.GetValue(0) : null);
            }
        }
        while (reader.NextResult());
        return null;
    }

    /// <summary>Runs the cached command and returns the number of rows changed.</summary>
    /// <remarks>With writes held back on the connection, they and this statement go in one round trip.</remarks>
    public static int Execute(DbConnection connection, DbTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        if (!HasDeferred(connection))
        {
            return Get(connection, transaction, sql, parameters).ExecuteNonQuery();
        }

        using var batch = TakeDeferred(connection, transaction);
        var last = AddLast(batch, connection, sql, parameters);
        batch.ExecuteNonQuery();
        return last.RecordsAffected;
    }

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
