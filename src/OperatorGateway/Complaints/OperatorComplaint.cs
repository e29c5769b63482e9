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
    public const string FeeDispute = "fee_dispute";

    public const string UnwantedSubscription = "unwanted_subscription";

    public const string ServiceQuality = "service_quality";

    /// <summary>The categories a refund can settle, as the CLI names them in a refusal.</summary>
    public const string RefundCategories = "fee_dispute, unwanted_subscription or service_quality";

    /// <summary>
    /// Whether the complaint is about money the subscriber was charged, so its resolution may carry a
    /// refund: a disputed fee, a subscription not knowingly ordered (不知情定制, where most refunds come
    /// from), or a paid service that did not work as promised. Content and other complaints are not about a charge.
    /// </summary>
    public bool CanCarryRefund => Category is FeeDispute or UnwantedSubscription or ServiceQuality;

    /// <summary>The resolution deadline in force: the ticket's level deadline, or the operator's reply_by when earlier.</summary>
    public DateTimeOffset? DueAt(DateTimeOffset? levelDue) =>
        ReplyBy is { } r && (levelDue is null || r < levelDue) ? r : levelDue;
}
