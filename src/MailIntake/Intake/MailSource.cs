namespace TicketGateway.MailIntake.Intake;

/// <summary>Where a mail was found: a folder, its UIDVALIDITY, the mail's UID. A UID means nothing without its UIDVALIDITY.</summary>
/// <param name="ArrivedAt">When the mail reached the mailbox (its IMAP INTERNALDATE), if the server said.</param>
public sealed record MailSource(string Folder, long UidValidity, long Uid, DateTimeOffset? ArrivedAt = null);
