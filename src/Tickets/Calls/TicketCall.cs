namespace TicketGateway.Tickets.Calls;

/// <summary>The call of a phone ticket.</summary>
/// <param name="Key">The call's key (<c>uid:</c> and Asterisk's uniqueid, or <c>sha:</c> and a row hash).</param>
/// <param name="LinkedBy">How: <c>agent</c> (created for the call), <c>caller</c> or <c>import</c> (the same caller within the call's time).</param>
/// <param name="LinkedAt">When the link was made.</param>
/// <param name="Call">The call's record from the switch's CDR, or null while no import has brought it.</param>
public sealed record TicketCall(string Key, string LinkedBy, DateTimeOffset LinkedAt, CallRecord? Call);
