namespace TicketGateway.Tickets.Replies;

/// <summary>A mail to queue: who gets it, what it says, and how it fits the conversation.</summary>
public sealed record OutgoingMail
{
    /// <summary>The ticket it belongs to, if any.</summary>
    public long? TicketId { get; init; }

    /// <summary>Why it is sent (<c>acknowledgement</c>, <c>agent-reply</c>, <c>survey</c>, ...), shown by <c>outbox list</c>.</summary>
    public required string Purpose { get; init; }

    /// <summary>The recipients.</summary>
    public required IReadOnlyList<MailRecipient> To { get; init; }

    /// <summary>The rendered subject and bodies; the ticket tag is added to the subject when missing.</summary>
    public required RenderedMail Content { get; init; }

    /// <summary>Sent by the machine, not written by a person: gets <c>Auto-Submitted: auto-replied</c>.</summary>
    public bool Automatic { get; init; }

    /// <summary>A reply to the customer: its acceptance by SMTP sets the ticket's first reply time.</summary>
    public bool CountsAsReply { get; init; }

    /// <summary>Stored on the ticket as an outbound message (mail to the customer), so replies to it thread.</summary>
    public bool RecordOnTicket { get; init; }

    /// <summary>The Message-ID answered (without angle brackets).</summary>
    public string? InReplyTo { get; init; }

    /// <summary>The conversation's Message-IDs, oldest first (without angle brackets).</summary>
    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>A Reply-To other than the support address (the signed address in agent notifications).</summary>
    public string? ReplyTo { get; init; }

    /// <summary>Files the mail carries (stored with the ticket's message when <see cref="RecordOnTicket"/>).</summary>
    public IReadOnlyList<Attachments.NewAttachment> Attachments { get; init; } = [];
}
