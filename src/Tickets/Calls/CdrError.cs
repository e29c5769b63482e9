namespace TicketGateway.Tickets.Calls;

/// <summary>A row of a call-detail file that was not imported: where and why.</summary>
/// <param name="Line">The line the row starts on (1-based).</param>
/// <param name="Reason">What is wrong with it, in one sentence.</param>
public sealed record CdrError(long Line, string Reason);
