using TicketGateway.Tickets;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Complaints;

/// <summary>
/// The refund of an operator complaint about a charge: recorded by an agent (CLI <c>operator refund</c>,
/// the console's ticket page), sent to the operator with the resolved update.
/// </summary>
internal sealed class ComplaintRefunds(TicketService tickets, TimeProvider clock)
{
    /// <summary>The largest refund taken, in fen (one million yuan): a bigger figure is a typing slip.</summary>
    public const long MaxFen = 100_000_000;

    /// <exception cref="TicketException">No such ticket, an amount out of range, not an operator complaint, or one not about a charge.</exception>
    public Task RecordAsync(string reference, long fen, string actor, CancellationToken cancellationToken = default)
    {
        if (fen is <= 0 or > MaxFen)
        {
            throw new TicketException(TicketError.Invalid, $"{fen} is not an amount in fen (a whole number from 1 to {MaxFen}).");
        }

        var id = TicketService.ParseReference(reference);
        var name = TicketReference.Format(id);
        return tickets.Database.WriteAsync((c, tx) =>
        {
            _ = TicketSql.Find(c, tx, id) ?? throw new TicketException(TicketError.NotFound, $"Ticket {name} does not exist.");
            var complaint = ComplaintSql.ForTicket(c, tx, id)
                ?? throw new TicketException(TicketError.Conflict, $"{name} is not a complaint filed by the operator; refunds go with the operator's complaints about a charge.");
            if (!complaint.CanCarryRefund)
            {
                throw new TicketException(TicketError.Conflict, $"{name} is a {complaint.Category} complaint, not about a charge; a refund goes with a {OperatorComplaint.RefundCategories} complaint.");
            }

            ComplaintSql.SetRefund(c, tx, id, fen);
            TicketSql.AppendHistory(c, tx, id, clock.GetUtcNow(), actor, "refund", $"refund of {fen} fen recorded; the operator gets it with the resolution");
            return true;
        }, cancellationToken);
    }
}
