using Microsoft.Net.Http.Headers;
using TicketGateway.Tickets;

namespace TicketGateway.OperatorGateway.Web;

/// <summary>
/// A ticket's file, always as a download: <c>Content-Disposition: attachment</c>, a generic type and
/// <c>nosniff</c>, and a sandbox policy besides, so a customer's HTML file never runs in the console's origin.
/// </summary>
internal static class AttachmentDownload
{
    public static IResult Send(string reference, long id, TicketService tickets, HttpContext context)
    {
        try
        {
            var (attachment, content) = tickets.AttachmentContent(reference, id);
            context.Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            var name = string.IsNullOrWhiteSpace(attachment.Name) ? $"file-{attachment.Id}" : attachment.Name;
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(name);
            context.Response.Headers.ContentDisposition = disposition.ToString();
            return Results.Bytes(content, "application/octet-stream");
        }
        catch (TicketException ex)
        {
            return Results.Text(ex.Message, "text/plain; charset=utf-8", statusCode: ex.Error == TicketError.NotFound ? 404 : 400);
        }
    }
}
