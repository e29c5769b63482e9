namespace TicketGateway.Tickets.Replies;

/// <summary>
/// A received mail as the reply side sees it, built once by the email channel from the parsed
/// message: who sent it and to whom, how it threads, its readable text, and whether a robot sent it.
/// </summary>
public sealed record IncomingMail
{
    /// <summary>The addr-spec of the one mailbox From names; null when From names no single trusted sender.</summary>
    public string? From { get; init; }

    /// <summary>The To and Cc addresses, in order.</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];

    /// <summary>The decoded subject (may be empty).</summary>
    public string Subject { get; init; } = "";

    /// <summary>The Message-ID without angle brackets, if any.</summary>
    public string? MessageId { get; init; }

    /// <summary>In-Reply-To without angle brackets, if any.</summary>
    public string? InReplyTo { get; init; }

    /// <summary>References, oldest first, without angle brackets.</summary>
    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>The readable text: the plain part, or the HTML part turned into text.</summary>
    public required string Text { get; init; }

    /// <summary>
    /// Sent by a robot, a list, a mail server (bounce, auto-reply) or by us: never answered
    /// automatically and never taken for an agent's command.
    /// </summary>
    public bool IsAutomated { get; init; }

    /// <summary>The mail's files and inline images, described (the agents' notification lists them).</summary>
    public IReadOnlyList<Attachments.AttachmentSummary> Attachments { get; init; } = [];

    /// <summary>
    /// The files an agent's answer sends on to the customer: the attachments kept with their bytes,
    /// not inline parts (a signature's logo, an image quoted in the text).
    /// </summary>
    public IReadOnlyList<Attachments.NewAttachment> Files { get; init; } = [];
}
