namespace TicketGateway.Tickets.Delivery;

/// <summary>A configuration key that was renamed; the old one still works but is reported at start-up.</summary>
/// <param name="OldKey">The deprecated key, e.g. <c>Mail:Smtp:RetryMin</c>.</param>
/// <param name="NewKey">The key to use instead, e.g. <c>Mail:Smtp:RetryBaseDelay</c>.</param>
public sealed record RenamedSetting(string OldKey, string NewKey);
