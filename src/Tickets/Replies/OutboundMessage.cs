namespace TicketGateway.Tickets.Replies;

/// <summary>
/// Everything a mail we send says, decided by the outbox: headers already header-safe, the subject
/// with its ticket tag, the Message-ID chosen once. An <see cref="IMailComposer"/> turns it into the
/// bytes stored in the outbox row and handed to SMTP on every attempt.
/// </summary>
public sealed record OutboundMessage
{
    /// <summary>The Date header.</summary>
    public required DateTimeOffset Date { get; init; }

    /// <summary>The support mailbox the mail comes from.</summary>
    public required MailRecipient From { get; init; }

    /// <summary>The recipients, in order.</summary>
    public required IReadOnlyList<MailRecipient> To { get; init; }

    /// <summary>A Reply-To address (the signed ticket address of agents' mail), if any.</summary>
    public string? ReplyTo { get; init; }

    /// <summary>The subject, on one line.</summary>
    public required string Subject { get; init; }

    /// <summary>The Message-ID, without angle brackets.</summary>
    public required string MessageId { get; init; }

    /// <summary>The Message-ID answered, without angle brackets.</summary>
    public string? InReplyTo { get; init; }

    /// <summary>The conversation's Message-IDs, oldest first, without angle brackets.</summary>
    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>The <c>Auto-Submitted</c> value (RFC 3834) of machine-sent mail, or null for none.</summary>
    public string? AutoSubmitted { get; init; }

    /// <summary>The value of <see cref="Outbox.LoopHeader"/>, which every mail we send carries.</summary>
    public required string Loop { get; init; }

    /// <summary>The plain-text body.</summary>
    public required string Text { get; init; }

    /// <summary>The HTML body, if any (then the mail is multipart/alternative).</summary>
    public string? Html { get; init; }

    /// <summary>Files attached after the body (then the mail is multipart/mixed).</summary>
    public IReadOnlyList<Attachments.NewAttachment> Attachments { get; init; } = [];
}
