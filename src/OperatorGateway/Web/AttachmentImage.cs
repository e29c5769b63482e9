using Microsoft.Net.Http.Headers;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Attachments;

namespace TicketGateway.OperatorGateway.Web;

/// <summary>
/// A ticket's image file shown inline on the ticket page, only when its bytes are a raster image: PNG,
/// JPEG, GIF or WebP, recognised by their signature and served with the type read from them (never the
/// type the mail claimed), <c>nosniff</c> and a sandbox policy. SVG (which can carry script) and
/// anything else stay downloads (<see cref="AttachmentDownload"/>); so does a file larger than
/// <see cref="MaxBytes"/>.
/// </summary>
internal static class AttachmentImage
{
    /// <summary>The largest image shown inline; a bigger one is a download only.</summary>
    public const long MaxBytes = 5_000_000;

    /// <summary>Whether the page offers the file inline (the bytes are checked when it is fetched).</summary>
    public static bool Offered(Attachment file) =>
        file.Dropped is null && file.Size <= MaxBytes
        && file.ContentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
        && !file.ContentType.Contains("svg", StringComparison.OrdinalIgnoreCase);

    public static IResult Send(string reference, long id, TicketService tickets, HttpContext context)
    {
        try
        {
            var (attachment, content) = tickets.AttachmentContent(reference, id);
            if (content.Length > MaxBytes || Type(content) is not { } type)
            {
                return Results.Text($"File {id} is not a PNG, JPEG, GIF or WebP image of at most {MaxBytes} bytes; download it instead.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status415UnsupportedMediaType);
            }

            context.Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            var disposition = new ContentDispositionHeaderValue("inline");
            disposition.SetHttpFileName(AttachmentFileName.Sanitise(attachment.Name, attachment.Id));
            context.Response.Headers.ContentDisposition = disposition.ToString();
            return Results.Bytes(content, type);
        }
        catch (TicketException ex)
        {
            return Results.Text(ex.Message, "text/plain; charset=utf-8", statusCode: ex.Error == TicketError.NotFound ? 404 : 400);
        }
    }

    /// <summary>The image type the bytes begin with, or null.</summary>
    public static string? Type(ReadOnlySpan<byte> b) =>
        b.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : b.StartsWith("GIF87a"u8) || b.StartsWith("GIF89a"u8) ? "image/gif"
        : b.Length >= 12 && b.StartsWith("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8) ? "image/webp"
        : null;
}
