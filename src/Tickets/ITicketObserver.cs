using System.Data.Common;

namespace TicketGateway.Tickets;

/// <summary>
/// Reacts to ticket changes inside the transaction that makes them, so that what follows from a
/// change (a survey mail, an update to the operator, an alert) is queued atomically with it: either
/// both are committed or neither. Observers must only write to the store; sending happens later,
/// from the rows they queue.
/// </summary>
public interface ITicketObserver
{
    /// <summary>A ticket was accepted, with <paramref name="opening"/> as its first message and files.</summary>
    void OnCreated(DbConnection connection, DbTransaction transaction, Ticket ticket, TicketOpening opening, string actor);

    /// <summary>A ticket changed from <paramref name="before"/> to <paramref name="after"/>.</summary>
    void OnChanged(DbConnection connection, DbTransaction transaction, Ticket before, Ticket after, string actor);

    /// <summary>
    /// A message (inbound, outbound or an internal note) was added to <paramref name="ticket"/>; its
    /// <see cref="TicketMessage.Id"/> is set. Not called for the first message of a new ticket (that is
    /// <see cref="OnCreated"/>).
    /// </summary>
    void OnMessageAdded(DbConnection connection, DbTransaction transaction, Ticket ticket, TicketMessage message, string actor)
    {
    }
}
