namespace TicketGateway.Tickets.Attachments;

/// <summary>A file to store with a message.</summary>
/// <param name="Name">The file name, if any.</param>
/// <param name="ContentType">The MIME type.</param>
/// <param name="Content">The bytes; null when they were dropped (then <paramref name="DroppedReason"/> says why).</param>
/// <param name="Size">The decoded size in bytes.</param>
/// <param name="ContentId">The Content-ID of an inline part, without angle brackets.</param>
/// <param name="Inline">An inline part (an image inside the HTML).</param>
/// <param name="DroppedReason">Why the bytes were not kept.</param>
public sealed record NewAttachment(string? Name, string ContentType, byte[]? Content, long Size, string? ContentId = null, bool Inline = false, string? DroppedReason = null)
{
    /// <summary>A file kept whole.</summary>
    public static NewAttachment Of(string name, string contentType, byte[] content) =>
        new(name, contentType, content ?? throw new ArgumentNullException(nameof(content)), content.LongLength);
}
