namespace TicketGateway.Tickets.Sla;

/// <summary>A computed deadline and anything the person reading it should know about how it was computed.</summary>
/// <param name="DueAt">The instant the deadline falls.</param>
/// <param name="Warnings">Caveats, such as a year with no calendar data.</param>
public sealed record Deadline(DateTimeOffset DueAt, IReadOnlyList<string> Warnings);
