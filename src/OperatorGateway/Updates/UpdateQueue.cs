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
        ArgumentNullException.ThrowIfNull(ticket);
        var sequence = ComplaintSql.NextSequence(connection, transaction, complaint.TicketId);
        var due = complaint.DueAt(ticket.ResolveDueAt);
        long? refund = kind == UpdateKind.Resolved && complaint.CanCarryRefund ? complaint.RefundFen : null;
        var update = new QueuedUpdate(
            0, ticket.Id, complaint.OperatorId, complaint.OrderId, sequence, kind, time.GetUtcNow(),
            messages.Render(kind, ticket, due, detail, refund), handler, refund, ticket.Level ?? 0, due, 0, null);
        UpdateOutbox.Insert(connection, transaction, update);
        return update;
    }
}
