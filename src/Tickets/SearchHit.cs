namespace TicketGateway.Tickets;

/// <summary>A ticket found by <see cref="TicketSearch"/>.</summary>
/// <param name="Ticket">The ticket.</param>
/// <param name="Rank">How many of the search terms are in its subject or customer fields (the rest are in its messages); higher ranks first.</param>
public sealed record SearchHit(Ticket Ticket, int Rank);
