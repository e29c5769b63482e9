namespace TicketGateway.Tickets;

/// <summary>One line of a ticket's append-only history: who changed what, and when.</summary>
public sealed record HistoryEntry(long Id, DateTimeOffset At, string Actor, string Action, string Detail);
