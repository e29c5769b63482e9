namespace TicketGateway.Tickets;

/// <summary>Who contacted support. Any part may be unknown, but a ticket keeps at least one way to reach them.</summary>
public sealed record Customer(string? Name, string? Email, string? Phone);
