using System.Data.Common;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// One savepoint after another inside a transaction: each unit of work (a change of a write batch, a mail of
/// an intake batch) runs in its own, so a failing one rolls back alone. Setting the next savepoint releases
/// the one before in the same statement (one round trip to PostgreSQL, not two); the commit releases the last.
/// The statements go through <see cref="CommandCache"/>, prepared once per connection.
/// </summary>
public sealed class SavepointChain(string name)
{
    private readonly string _first = $"SAVEPOINT {name}";
    private readonly string _next = $"RELEASE SAVEPOINT {name}; SAVEPOINT {name}";
    private readonly string _rollBack = $"ROLLBACK TO SAVEPOINT {name}";
    private readonly string _release = $"RELEASE SAVEPOINT {name}";

    /// <summary>Sets the savepoint of the next unit; <paramref name="afterAnother"/> when this chain set one before in the transaction.</summary>
    /// <remarks>
    /// On a connection that holds writes back (<see cref="CommandCache.HoldBackWrites"/>) the release goes with
    /// them, before the new savepoint, all in one round trip: a held-back write that fails leaves the previous
    /// unit's savepoint set, for <see cref="RollBack"/> to undo that unit alone.
    /// </remarks>
    public void Next(DbConnection connection, DbTransaction transaction, bool afterAnother)
    {
        if (afterAnother && CommandCache.HoldsBackWrites(connection))
        {
            CommandCache.Defer(connection, transaction, _release);
            CommandCache.Execute(connection, transaction, _first);
            return;
        }

        CommandCache.Execute(connection, transaction, afterAnother ? _next : _first);
    }

    /// <summary>
    /// Sets the savepoint of the next unit after another, sending the writes the previous unit held back. When
    /// one of those fails, the previous unit is rolled back, the next savepoint set all the same, and the
    /// error returned: it is the previous unit's, for its caller to fail that unit alone. Null otherwise.
    /// </summary>
    public Exception? NextAfterAnother(DbConnection connection, DbTransaction transaction) =>
        EndUnit(connection, transaction, () => Next(connection, transaction, afterAnother: true));

    /// <summary>
    /// Ends the chain after its last unit, sending the writes that unit held back, and releases the last
    /// savepoint when <paramref name="release"/> (work goes on in the transaction) or keeps it (the commit
    /// follows). When a held-back write fails, the last unit is rolled back and the error returned, as
    /// <see cref="NextAfterAnother"/> does; null otherwise.
    /// </summary>
    public Exception? Finish(DbConnection connection, DbTransaction transaction, bool release) =>
        EndUnit(connection, transaction, release ? () => Release(connection, transaction) : () => CommandCache.SendDeferred(connection, transaction));

    // Runs what ends the current unit (it sends the unit's held-back writes first). When one of those writes
    // fails, the unit is rolled back (dropping the rest) and the end run again; the error is returned.
    private DbException? EndUnit(DbConnection connection, DbTransaction transaction, Action end)
    {
        var held = CommandCache.HasDeferred(connection);
        try
        {
            end();
            return null;
        }
        catch (DbException ex) when (held && connection.State == System.Data.ConnectionState.Open)
        {
            RollBack(connection, transaction);
            end();
            return ex;
        }
    }

    /// <summary>Undoes what the current unit did, the writes it held back included; its savepoint stays set, for the next <see cref="Next"/> to release.</summary>
    public void RollBack(DbConnection connection, DbTransaction transaction)
    {
        CommandCache.DiscardDeferred(connection);
        CommandCache.Execute(connection, transaction, _rollBack);
    }

    /// <summary>Releases the last savepoint, for work that goes on in the transaction after the chain.</summary>
    public void Release(DbConnection connection, DbTransaction transaction) => CommandCache.Execute(connection, transaction, _release);
}
