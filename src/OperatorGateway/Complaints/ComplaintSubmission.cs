namespace TicketGateway.OperatorGateway.Complaints;

/// <summary>A validated complaint as the operator filed it.</summary>
internal sealed record ComplaintSubmission(
    string OrderId,
    string Msisdn,
    string Category,
    string ServiceCode,
    string Title,
    string Content,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? ReplyBy,
    int Level,
    bool Repeat,
    IReadOnlyList<ComplaintAttachment> Attachments,
    string RequestHash);

/// <summary>A file attached to a complaint or a supplement.</summary>
internal sealed record ComplaintAttachment(string Name, string ContentType, byte[] Content);
