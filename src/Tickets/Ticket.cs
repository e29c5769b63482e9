namespace TicketGateway.Tickets;

/// <summary>A support ticket: one contact and everything that follows from it.</summary>
/// <remarks>
/// Times are instants (UTC offsets); presentation in the desk's time zone is the caller's job.
/// <see cref="ResolveDueAt"/> is set for complaints only: the plan sets resolution deadlines by
/// complaint level and none for inquiries, fee inquiries or problem reports.
/// </remarks>
public sealed record Ticket
{
    /// <summary>The store's key.</summary>
    public required long Id { get; init; }

    /// <summary>The reference shown to people, e.g. <c>TG-000123</c>.</summary>
    public string Ref => TicketReference.Format(Id);

    /// <summary>How the contact reached support.</summary>
    public required Channel Channel { get; init; }

    /// <summary>What the contact is about.</summary>
    public required TicketKind Kind { get; init; }

    /// <summary>Complaint level 1-4; null for anything but complaints.</summary>
    public int? Level { get; init; }

    /// <summary>Where the ticket stands.</summary>
    public required TicketStatus Status { get; init; }

    /// <summary>Who contacted support.</summary>
    public required Customer Customer { get; init; }

    /// <summary>A one-line summary.</summary>
    public required string Subject { get; init; }

    /// <summary>The language replies are written in (<c>zh-CN</c> or <c>en</c>).</summary>
    public string Language { get; init; } = "zh-CN";

    /// <summary>When support accepted the contact (受理); every deadline runs from here.</summary>
    public required DateTimeOffset AcceptedAt { get; init; }

    /// <summary>When the first reply reached the customer.</summary>
    public DateTimeOffset? FirstReplyAt { get; init; }

    /// <summary>When the ticket was last resolved.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>The first reply is due by then.</summary>
    public required DateTimeOffset ReplyDueAt { get; init; }

    /// <summary>The complaint must be resolved by then; null for non-complaints.</summary>
    public DateTimeOffset? ResolveDueAt { get; init; }

    /// <summary>The customer's verdict on the handling.</summary>
    public Satisfaction Satisfaction { get; init; }

    /// <summary>The ticket this one repeats (重复投诉), if any.</summary>
    public long? RepeatOf { get; init; }

    /// <summary>The operator's identifiers when the operator filed the complaint.</summary>
    public OperatorReference? Operator { get; init; }

    /// <summary>The text the ticket was resolved with.</summary>
    public string? Resolution { get; init; }

    /// <summary>The login of the agent who owns the ticket; null when nobody does.</summary>
    public string? Owner { get; init; }

    /// <summary>The nearest deadline still running: the reply deadline until the first reply, then the resolution deadline.</summary>
    public DateTimeOffset? NextDueAt =>
        Status is TicketStatus.Resolved or TicketStatus.Closed ? null
        : FirstReplyAt is null ? Min(ReplyDueAt, ResolveDueAt)
        : ResolveDueAt;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset? b) => b is { } v && v < a ? v : a;
}
