using MimeKit;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.MailIntake.Mime;

/// <summary>
/// Writes what the outbox decided to send as MIME: a text part, or multipart/alternative with the
/// HTML part, in MimeKit's default encodings, inside multipart/mixed with the files when there are any. The outbox stores the bytes once, at queue time.
/// </summary>
public sealed class MimeComposer : IMailComposer
{
    /// <inheritdoc/>
    public byte[] Compose(OutboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var mime = new MimeMessage { Date = message.Date };
        mime.From.Add(new MailboxAddress(message.From.Name, message.From.Address));
        foreach (var to in message.To)
        {
            mime.To.Add(new MailboxAddress(to.Name, to.Address));
        }

        if (message.ReplyTo is not null)
        {
            mime.ReplyTo.Add(MailboxAddress.Parse(message.ReplyTo));
        }

        mime.Subject = message.Subject;
        mime.MessageId = message.MessageId;
        if (message.InReplyTo is { Length: > 0 } inReplyTo)
        {
            mime.InReplyTo = inReplyTo;
        }

        foreach (var reference in message.References)
        {
            mime.References.Add(reference);
        }

        if (message.AutoSubmitted is { } autoSubmitted)
        {
            mime.Headers.Add("Auto-Submitted", autoSubmitted);
        }

        mime.Headers.Add(Outbox.LoopHeader, message.Loop);
        var body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html };
        foreach (var file in message.Attachments)
        {
            // The name goes out as given (MimeKit encodes it per RFC 2231); the receiver decides what a name may be.
            body.Attachments.Add(file.Name ?? "attachment", file.Content ?? [], ContentType.Parse(file.ContentType));
        }

        mime.Body = body.ToMessageBody();

        using var stream = new MemoryStream();
        mime.WriteTo(FormatOptions.Default, stream);
        return stream.ToArray();
    }
}
