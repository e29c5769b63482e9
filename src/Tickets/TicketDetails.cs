namespace TicketGateway.Tickets;

/// <summary>A ticket with its conversation and its history.</summary>
public sealed record TicketDetails(Ticket Ticket, IReadOnlyList<TicketMessage> Messages, IReadOnlyList<HistoryEntry> History);
