namespace TicketGateway.Tickets.Kpis;

/// <summary>A ticket (or call) behind a missed target, or pending for one: what it is and why it counts (or not yet).</summary>
/// <param name="Ref">Ticket reference, or the call's key for hotline calls.</param>
/// <param name="At">When it was accepted (or the call started).</param>
/// <param name="Who">The customer's email or number.</param>
/// <param name="Subject">The subject (or the call's disposition).</param>
/// <param name="Reason">Why it counts against the target, or (<c>pending: ...</c>) when it falls due.</param>
public sealed record MissedItem(string Ref, DateTimeOffset At, string Who, string Subject, string Reason);
