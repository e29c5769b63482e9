using System.Data.Common;
using TicketGateway.OperatorGateway.Complaints;
using TicketGateway.Tickets;

namespace TicketGateway.OperatorGateway.Updates;

/// <summary>Queues an update to the operator in the caller's transaction, with the complaint's next sequence number.</summary>
internal sealed class UpdateQueue(UpdateMessages messages, TimeProvider time)
{
    public QueuedUpdate Queue(DbConnection connection, DbTransaction transaction, OperatorComplaint complaint, Ticket ticket, UpdateKind kind, string handler, string? detail)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        return Queue(connection, transaction, complaint, ticket, kind, handler, detail, ComplaintSql.NextSequence(connection, transaction, complaint.TicketId));
    }

    /// <summary>
    /// Queues the first update of a complaint just inserted with <see cref="OperatorComplaint.LastSequence"/> 1
    /// (no round trip to take the number).
    /// </summary>
    public QueuedUpdate QueueFirst(DbConnection connection, DbTransaction transaction, OperatorComplaint complaint, Ticket ticket, UpdateKind kind, string handler)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        if (complaint.LastSequence != 1)
        {
            throw new ArgumentException($"The complaint's first update has sequence 1, but the complaint was inserted with last sequence {complaint.LastSequence}.", nameof(complaint));
        }

        return Queue(connection, transaction, complaint, ticket, kind, handler, null, 1);
    }

    private QueuedUpdate Queue(DbConnection connection, DbTransaction transaction, OperatorComplaint complaint, Ticket ticket, UpdateKind kind, string handler, string? detail, long sequence)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var due = complaint.DueAt(ticket.ResolveDueAt);
        long? refund = kind == UpdateKind.Resolved && complaint.CanCarryRefund ? complaint.RefundFen : null;
        var update = new QueuedUpdate(
            0, ticket.Id, complaint.OperatorId, complaint.OrderId, sequence, kind, time.GetUtcNow(),
            messages.Render(kind, ticket, due, detail, refund), handler, refund, ticket.Level ?? 0, due, 0, null);
        UpdateOutbox.Insert(connection, transaction, update);
        return update;
    }
}
