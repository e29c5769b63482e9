using TicketGateway.Tickets.Attachments;

namespace TicketGateway.Tickets;

/// <summary>
/// What a new ticket was opened with, as stored with it: the text of its first message (null when it
/// has none) and that message's files. Given to the observers, so none reads back what was just written.
/// </summary>
public sealed record TicketOpening(string? Text, IReadOnlyList<AttachmentSummary> Files);
