namespace TicketGateway.Tickets.Replies;

/// <summary>
/// Turns what the outbox decided to send into the mail format (MIME, implemented by MailIntake).
/// Called once per mail, when it is queued, inside the caller's transaction: the bytes it returns
/// are stored and sent unchanged on every attempt, so a retried mail keeps its Message-ID.
/// </summary>
public interface IMailComposer
{
    /// <summary>The whole message as it goes over SMTP.</summary>
    byte[] Compose(OutboundMessage message);
}
