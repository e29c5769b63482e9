namespace TicketGateway.MailIntake.Intake;

/// <summary>Where a mail was found: a folder, its UIDVALIDITY, the mail's UID. A UID means nothing without its UIDVALIDITY.</summary>
public sealed record MailSource(string Folder, long UidValidity, long Uid);
