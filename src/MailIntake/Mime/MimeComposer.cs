using MimeKit;
using MimeKit.Utils;
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
        // The four headers MimeMessage() starts with, in its order, but with our Date and Message-ID: left to
        // itself it formats the current time and generates a Message-ID from the host's name, both replaced at
        // once (together about 5 % of the intake writer's time per acknowledgement). The Message-ID is then set
        // through its property all the same, so that MimeKit writes it as it always did, whatever the domain.
        var mime = new MimeMessage(
            new Header(HeaderId.From, string.Empty),
            new Header(HeaderId.Date, DateUtils.FormatDate(message.Date)),
            new Header(HeaderId.Subject, string.Empty),
            new Header(HeaderId.MessageId, "<" + message.MessageId + ">"));
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
