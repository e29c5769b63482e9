namespace TicketGateway.OperatorGateway.Complaints;

/// <summary>The acceptance the operator gets back; the same every time the same request is repeated.</summary>
internal sealed record ComplaintReceiptView(string OrderId, string TicketRef, DateTimeOffset AcceptedAt, int Level, DateTimeOffset ResolveDueAt);
