namespace TicketGateway.Tickets.Attachments;

/// <summary>A file of a ticket's message, as listed (without its bytes).</summary>
/// <param name="Id">The store's key, what <c>tickets attachment save</c> takes.</param>
/// <param name="TicketId">The ticket.</param>
/// <param name="MessageId">The message it came or went with; null for a file kept on the ticket but on none of its messages.</param>
/// <param name="Name">The file name the sender gave, untrusted (see <see cref="AttachmentFileName"/>); null when it gave none.</param>
/// <param name="ContentType">The MIME type, e.g. <c>image/png</c>.</param>
/// <param name="Inline">Shown inside the mail's HTML (an inline image) rather than attached.</param>
/// <param name="Size">The decoded size in bytes (of a dropped file, as far as it was read).</param>
/// <param name="Dropped">Why the bytes were not kept (a size limit), or null when they were.</param>
public sealed record Attachment(long Id, long TicketId, long? MessageId, string? Name, string ContentType, bool Inline, long Size, string? Dropped);
