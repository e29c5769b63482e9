using TicketGateway.Tickets.Replies;

namespace TicketGateway.MailIntake.Parsing;

/// <summary>A mail as the intake understands it: decoded headers and text, attachments, classification.</summary>
public sealed record InboundMail
{
    /// <summary>The Message-ID without angle brackets, if any.</summary>
    public string? MessageId { get; init; }

    /// <summary>In-Reply-To, without angle brackets.</summary>
    public string? InReplyTo { get; init; }

    /// <summary>References, oldest first, without angle brackets.</summary>
    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>The sender's address, lower case.</summary>
    public string? FromAddress { get; init; }

    /// <summary>The sender's display name.</summary>
    public string? FromName { get; init; }

    /// <summary>The To addresses, comma-separated.</summary>
    public string? To { get; init; }

    /// <summary>The decoded subject (may be empty).</summary>
    public required string Subject { get; init; }

    /// <summary>The readable text: the plain part, or the HTML part turned into text.</summary>
    public required string Text { get; init; }

    /// <summary>The HTML part, sanitised, if there was one.</summary>
    public string? Html { get; init; }

    /// <summary>Attachments and inline images.</summary>
    public IReadOnlyList<MailAttachment> Attachments { get; init; } = [];

    /// <summary>Robot, bounce, list or own-loop decisions.</summary>
    public required MailClassification Classification { get; init; }

    /// <summary>For a bounce: the Message-IDs of the mail that could not be delivered.</summary>
    public IReadOnlyList<string> BouncedMessageIds { get; init; } = [];

    /// <summary>For a bounce: the status and diagnostic the report gives.</summary>
    public string? BounceDetail { get; init; }

    /// <summary>SHA-256 (hex) of the raw body, so the same mail delivered twice is recognised.</summary>
    public required string ContentHash { get; init; }

    /// <summary>The raw size in bytes.</summary>
    public long Size { get; init; }

    /// <summary>
    /// The mail as the reply side reads it (acknowledgements, agents' mail, survey answers): built
    /// once from the parsed message, with <see cref="Text"/> and <see cref="Classification"/>. Null
    /// when only the headers could be read.
    /// </summary>
    public IncomingMail? Incoming { get; init; }
}
