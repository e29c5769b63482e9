namespace TicketGateway.MailIntake.Probes;

/// <summary>What one probe of a mail server learned: the mail waiting (IMAP only) and the server's TLS certificate.</summary>
/// <param name="Waiting">Mails in the intake folder (not processed yet); 0 for SMTP.</param>
/// <param name="OldestArrival">When the oldest of them arrived (the server's INTERNALDATE), or null.</param>
/// <param name="Certificate">The server certificate's subject and end of validity, or null over a plain connection.</param>
public sealed record MailProbeResult(int Waiting, DateTimeOffset? OldestArrival, (string Subject, DateTimeOffset NotAfter)? Certificate);
