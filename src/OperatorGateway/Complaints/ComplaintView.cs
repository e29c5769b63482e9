using TicketGateway.OperatorGateway.Updates;
using TicketGateway.Tickets;

namespace TicketGateway.OperatorGateway.Complaints;

/// <summary>A complaint as the operator may see it: its ticket, the exchange's row and the updates queued so far.</summary>
internal sealed record ComplaintView(OperatorComplaint Complaint, Ticket Ticket, IReadOnlyList<QueuedUpdate> Updates);
