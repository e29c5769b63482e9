namespace TicketGateway.Tickets.Replies;

/// <summary>One recipient of a mail we send: a display name (may be empty) and a plain address.</summary>
/// <param name="Name">The display name; the outbox makes it header-safe.</param>
/// <param name="Address">The addr-spec, <c>local@domain</c>.</param>
public sealed record MailRecipient(string? Name, string Address);
