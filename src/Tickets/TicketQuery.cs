namespace TicketGateway.Tickets;

/// <summary>Filters for listing tickets; null means any.</summary>
public sealed record TicketQuery(TicketStatus? Status = null, TicketKind? Kind = null, Channel? Channel = null, int Limit = 10_000);
