namespace TicketGateway.MailIntake.Parsing;

/// <summary>An attachment or inline image; <see cref="Content"/> is null when it was dropped, and <see cref="DroppedReason"/> says why.</summary>
public sealed record MailAttachment(string? FileName, string ContentType, string? ContentId, bool Inline, long Size, byte[]? Content, string? DroppedReason);
