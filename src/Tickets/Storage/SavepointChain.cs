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
    public void Next(DbConnection connection, DbTransaction transaction, bool afterAnother) =>
        CommandCache.Execute(connection, transaction, afterAnother ? _next : _first);

    /// <summary>Undoes what the current unit did; its savepoint stays set, for the next <see cref="Next"/> to release.</summary>
    public void RollBack(DbConnection connection, DbTransaction transaction) => CommandCache.Execute(connection, transaction, _rollBack);

    /// <summary>Releases the last savepoint, for work that goes on in the transaction after the chain.</summary>
    public void Release(DbConnection connection, DbTransaction transaction) => CommandCache.Execute(connection, transaction, _release);
}
