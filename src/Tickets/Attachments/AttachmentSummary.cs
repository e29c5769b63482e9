namespace TicketGateway.Tickets.Attachments;

/// <summary>What agents are told about a file of a customer's mail: no bytes.</summary>
/// <param name="Name">The file name the sender gave, if any.</param>
/// <param name="ContentType">The MIME type.</param>
/// <param name="Size">The decoded size in bytes.</param>
/// <param name="Inline">An inline image.</param>
/// <param name="Dropped">Why the bytes were not kept, or null.</param>
public sealed record AttachmentSummary(string? Name, string ContentType, long Size, bool Inline, string? Dropped);
