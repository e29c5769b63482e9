namespace TicketGateway.OperatorGateway.Updates;

/// <summary>A row of the outbox <c>operator_updates</c>.</summary>
internal sealed record QueuedUpdate(
    long Id,
    long TicketId,
    string OperatorId,
    string OrderId,
    long Sequence,
    UpdateKind Kind,
    DateTimeOffset OccurredAt,
    string Message,
    string Handler,
    long? RefundFen,
    int Level,
    DateTimeOffset? ResolveDueAt,
    int Attempts,
    DateTimeOffset? DeliveredAt);
