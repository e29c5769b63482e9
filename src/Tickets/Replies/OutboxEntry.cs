namespace TicketGateway.Tickets.Replies;

/// <summary>One row of the outbox.</summary>
public sealed record OutboxEntry(
    long Id,
    long? TicketId,
    string Purpose,
    OutboxStatus Status,
    string MessageId,
    string Sender,
    IReadOnlyList<string> Recipients,
    string Subject,
    bool CountsAsReply,
    DateTimeOffset CreatedAt,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? SentAt,
    string? LastError);
