namespace TicketGateway.Tickets;

/// <summary>A ticket found by <see cref="TicketSearch"/>.</summary>
/// <param name="Ticket">The ticket.</param>
/// <param name="Rank">1 when every search term is in its subject or customer fields, else 0 (some are only in its messages); rank 1 comes first.</param>
public sealed record SearchHit(Ticket Ticket, int Rank);
