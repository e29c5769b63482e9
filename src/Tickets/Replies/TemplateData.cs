namespace TicketGateway.Tickets.Replies;

/// <summary>
/// Everything a template may see. Templates get a small explicit model built from this (see
/// <see cref="TemplateModel"/>), never .NET objects, so a template cannot reach into the process.
/// </summary>
public sealed record TemplateData
{
    /// <summary>The ticket the mail is about, if any.</summary>
    public Ticket? Ticket { get; init; }

    /// <summary>The agent who writes, for agent replies.</summary>
    public string? AgentName { get; init; }

    /// <summary>The agent's own text, for agent replies.</summary>
    public string? AgentText { get; init; }

    /// <summary>The mail being forwarded to agents (customer message, untrusted mail).</summary>
    public string? MessageText { get; init; }

    /// <summary>The files of the mail being forwarded (listed, never attached).</summary>
    public IReadOnlyList<Attachments.AttachmentSummary> MessageAttachments { get; init; } = [];

    /// <summary>Who wrote <see cref="MessageText"/>.</summary>
    public string? MessageFrom { get; init; }

    /// <summary>What happened: <c>new</c>, <c>reply</c>, <c>operator</c>, <c>repeat</c>, <c>undelivered</c>, ...</summary>
    public string? Event { get; init; }

    /// <summary>The signed address agents answer to.</summary>
    public string? ReplyAddress { get; init; }

    /// <summary>An error to explain (agent help, alerts).</summary>
    public string? Error { get; init; }

    /// <summary>The deadline a mail is about when it is not the ticket's usual one (a first-reply or requested deadline's alert).</summary>
    public DateTimeOffset? Deadline { get; init; }
}
