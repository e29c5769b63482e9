using System.Text;
using MimeKit;
using TicketGateway.MailIntake.Intake;
using TicketGateway.Tickets.Attachments;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.MailIntake.Parsing;

/// <summary>Turns raw mail into an <see cref="InboundMail"/>: decoded headers and text in every charset Chinese mail uses, attachments within limits, classification.</summary>
public sealed class MailReader
{
    private readonly string _ourDomain;
    private readonly string? _supportAddress;
    private readonly IntakeOptions _intake;

    /// <summary>Creates a reader; registers the code-page encodings.</summary>
    public MailReader(MailOptions mail, IntakeOptions intake)
    {
        ArgumentNullException.ThrowIfNull(mail);
        MailCharsets.Register();
        _ourDomain = mail.Domain;
        _supportAddress = mail.SupportAddress;
        _intake = intake;
    }

    /// <summary>Reads a mail held in memory.</summary>
    /// <param name="raw">The raw bytes.</param>
    /// <param name="charset">A charset that overrides what the mail declares (an operator's retry).</param>
    public InboundMail Read(byte[] raw, Encoding? charset = null)
    {
        ArgumentNullException.ThrowIfNull(raw);
        using var stream = new MemoryStream(raw, writable: false);
        return Read(stream, persistent: false, ContentHash.Of(raw), raw.Length, charset);
    }

    /// <summary>Reads a spooled mail from its file without loading the bodies into memory.</summary>
    public InboundMail ReadFile(string path, Encoding? charset = null)
    {
        var hash = HashFile(path);
        using var stream = File.OpenRead(path);
        return Read(stream, persistent: true, hash, stream.Length, charset);
    }

    /// <summary>The body hash of a spooled mail.</summary>
    public static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return ContentHash.Of(stream);
    }

    /// <summary>
    /// What the headers alone say (sender, subject, Message-ID), for the quarantine record of a mail
    /// whose body cannot be read; null when even the headers cannot be parsed.
    /// </summary>
    public static InboundMail? ReadHeaders(RawMail raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        try
        {
            using var stream = raw.Bytes is { } bytes ? new MemoryStream(bytes, writable: false) : (Stream)File.OpenRead(raw.SpoolPath!);
            var headers = HeaderList.Load(new ParserOptions { CharsetEncoding = MailCharsets.Gb18030 }, stream);
            var from = InternetAddressList.TryParse(headers[HeaderId.From] ?? "", out var list) ? SenderAddress.Of(list) : null;
            return new InboundMail
            {
                MessageId = NullIfEmpty(headers[HeaderId.MessageId]?.Trim().Trim('<', '>')),
                FromAddress = from?.Address?.Trim().ToLowerInvariant(),
                FromName = NullIfEmpty(from?.Name),
                Subject = Unfold(headers[HeaderId.Subject]),
                Text = "",
                Classification = MailClassification.Person,
                ContentHash = raw.Bytes is { } b ? ContentHash.Of(b) : HashFile(raw.SpoolPath!),
                Size = raw.Size,
            };
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private InboundMail Read(Stream stream, bool persistent, string hash, long size, Encoding? charset)
    {
        var options = new ParserOptions
        {
            MaxMimeDepth = _intake.MaxMimeDepth,
            // Raw 8-bit headers that are not UTF-8 are far more often GBK than Latin-1 here.
            CharsetEncoding = charset ?? MailCharsets.Gb18030,
        };
        MimeMessage message;
        try
        {
            message = MimeMessage.Load(options, stream, persistent);
        }
        catch (FormatException ex)
        {
            throw new MailFormatException($"The mail cannot be parsed as MIME: {ex.Message}", ex);
        }

        // The sender is From's one mailbox, nothing else: Sender and Reply-To are claims anyone can
        // write, and a display name is only a name. Without one trusted sender the mail is held.
        if (SenderAddress.Of(message) is not { } sender)
        {
            throw new MailFormatException(SenderAddress.Untrusted(message.From)!);
        }

        var classification = MailClassifier.Classify(message, _ourDomain, _supportAddress);
        var body = new BodyParts();
        Collect(message.Body, body, charset, 1);
        var text = body.Plain ?? (body.Html is { } html ? HtmlText.ToText(html) : "");
        var (bounced, detail) = classification.IsBounce ? MailClassifier.Bounced(message) : ([], null);
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();

        // The reply side reads the sender, recipients, threading headers, text and classification only:
        // built here, once, so it holds no reference to the parts (or the spool file).
        var incoming = new IncomingMail
        {
            From = sender.Address,
            Recipients = [.. message.To.Mailboxes.Concat(message.Cc.Mailboxes).Select(m => m.Address)],
            Subject = Unfold(message.Subject),
            MessageId = NullIfEmpty(message.MessageId),
            InReplyTo = NullIfEmpty(message.InReplyTo),
            References = [.. message.References],
            Text = text,
            IsAutomated = classification.IsAutomated || classification.IsOwnLoop,
            Attachments = [.. body.Attachments.Select(a => new AttachmentSummary(a.FileName, a.ContentType, a.Size, a.Inline, a.DroppedReason))],
            Files = [.. body.Attachments.Where(a => !a.Inline && a.Content is not null && a.DroppedReason is null)
                .Select(a => new NewAttachment(a.FileName, a.ContentType, a.Content, a.Size, a.ContentId))],
        };
        return new InboundMail
        {
            MessageId = NullIfEmpty(message.MessageId),
            InReplyTo = NullIfEmpty(message.InReplyTo),
            References = [.. message.References],
            FromAddress = sender.Address.Trim().ToLowerInvariant(),
            FromName = NullIfEmpty(sender.Name?.Trim()),
            To = message.To.Mailboxes.Any() ? string.Join(", ", message.To.Mailboxes.Select(m => m.Address)) : null,
            Subject = Unfold(message.Subject),
            Text = text,
            Html = body.Html is { } h ? HtmlText.Sanitize(h) : null,
            Attachments = body.Attachments,
            Classification = classification,
            BouncedMessageIds = bounced,
            BounceDetail = detail,
            ContentHash = hash,
            Size = size,
            Incoming = incoming,
        };
    }

    private void Collect(MimeEntity? entity, BodyParts body, Encoding? charset, int depth)
    {
        switch (entity)
        {
            case null:
                return;
            case Multipart multipart:
                foreach (var child in multipart)
                {
                    Collect(child, body, charset, depth + 1);
                }

                return;
            case MimePart part when part.ContentType.MediaType.Equals("multipart", StringComparison.OrdinalIgnoreCase):
                // MimeKit stops at MaxMimeDepth and keeps what lies deeper as one opaque part: the text
                // in there cannot be read, so the mail is held with the reason instead of becoming "(no text)".
                throw new MailFormatException($"The mail's MIME parts are nested deeper than Mail:Intake:MaxMimeDepth ({_intake.MaxMimeDepth}) at level {depth}; raise it to read this mail.");
            case MessagePart:
                // An embedded mail (a forwarded one, a bounce's original): its text is not the sender's; its IDs are read by the classifier.
                return;
            case TextPart text when !text.IsAttachment && text.IsPlain && body.Plain is null:
                body.Plain = Decode(text, charset);
                return;
            case TextPart text when !text.IsAttachment && text.IsHtml && body.Html is null:
                body.Html = Decode(text, charset);
                return;
            case MimePart part:
                body.Attachments.Add(Keep(part, body));
                return;
        }
    }

    private MailAttachment Keep(MimePart part, BodyParts body)
    {
        using var buffer = new CappedBuffer(Math.Min(_intake.MaxAttachmentSize, Math.Max(0, _intake.MaxAttachmentsPerMail - body.KeptBytes)));
        part.Content?.DecodeTo(buffer);
        var content = buffer.Content;
        string? dropped = null;
        if (content is null)
        {
            dropped = buffer.Written > _intake.MaxAttachmentSize
                ? $"{buffer.Written} bytes is over Mail:Intake:MaxAttachmentSize ({_intake.MaxAttachmentSize})"
                : $"the mail's attachments are over Mail:Intake:MaxAttachmentsPerMail ({_intake.MaxAttachmentsPerMail} bytes)";
        }
        else
        {
            body.KeptBytes += content.Length;
        }

        var inline = part.ContentDisposition?.Disposition is { } d && d.Equals(ContentDisposition.Inline, StringComparison.OrdinalIgnoreCase)
            || (part.ContentDisposition is null && part.ContentId is not null);
        return new MailAttachment(part.FileName, part.ContentType.MimeType, NullIfEmpty(part.ContentId), inline, buffer.Written, content, dropped);
    }

    private static string Decode(TextPart part, Encoding? charset)
    {
        if (charset is not null)
        {
            return part.GetText(charset);
        }

        var declared = part.ContentType.Charset;
        if (declared is not null)
        {
            var encoding = MailCharsets.Find(declared)
                ?? throw new MailFormatException($"The {part.ContentType.MimeType} body declares the charset '{declared}', which is not known; retry it with --charset NAME.");
            return part.GetText(encoding);
        }

        // No charset: US-ASCII by the RFC, UTF-8 in practice, GB18030 for Chinese clients that omit it.
        using var bytes = new MemoryStream();
        part.Content?.DecodeTo(bytes);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.GetBuffer(), 0, (int)bytes.Length);
        }
        catch (DecoderFallbackException)
        {
            return MailCharsets.Gb18030.GetString(bytes.GetBuffer(), 0, (int)bytes.Length);
        }
    }

    private static string Unfold(string? header) => string.Join(' ', (header ?? "").Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private sealed class BodyParts
    {
        public string? Plain { get; set; }

        public string? Html { get; set; }

        public List<MailAttachment> Attachments { get; } = [];

        public long KeptBytes { get; set; }
    }
}
