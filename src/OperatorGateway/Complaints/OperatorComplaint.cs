namespace TicketGateway.OperatorGateway.Complaints;

/// <summary>What the exchange keeps about a complaint beside its ticket (a row of <c>operator_complaints</c>).</summary>
internal sealed record OperatorComplaint(
    long TicketId,
    string OperatorId,
    string OrderId,
    string RequestHash,
    string Category,
    string ServiceCode,
    string Msisdn,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? ReplyBy,
    bool OperatorRepeat,
    int ReceiptLevel,
    DateTimeOffset ReceiptDueAt,
    long LastSequence,
    long? RefundFen,
    DateTimeOffset? WithdrawnAt)
{
    /// <summary>The resolution deadline in force: the ticket's level deadline, or the operator's reply_by when earlier.</summary>
    public DateTimeOffset? DueAt(DateTimeOffset? levelDue) =>
        ReplyBy is { } r && (levelDue is null || r < levelDue) ? r : levelDue;
}
