namespace TicketGateway.Tickets.Duty;

/// <summary>Delivery states of an alert's channels.</summary>
public static class AlertStates
{
    /// <summary>Chat: to be posted.</summary>
    public const string Pending = "pending";

    /// <summary>Chat: the robot accepted it. Email: the SMTP server accepted it.</summary>
    public const string Sent = "sent";

    /// <summary>Chat: gave up after the configured number of tries. Email: the SMTP server refused it for good.</summary>
    public const string Failed = "failed";

    /// <summary>Chat: no webhook was configured. Email: no mail is sent (<c>Mail:SupportAddress</c> is not set).</summary>
    public const string Disabled = "disabled";

    /// <summary>
    /// Email: raised by an older version, waiting to be handed to the mail outbox; the alert worker
    /// queues such alerts on its next round. New alerts never wait: their mail is queued with them.
    /// </summary>
    public const string AwaitingOutbox = "awaiting-outbox";

    /// <summary>Email: in the outbox (queued in the transaction that raised the alert); the outbox delivers it.</summary>
    public const string Queued = "queued";

    /// <summary>Email: nobody on duty has an email address and <c>Mail:DutyAddress</c> is not set.</summary>
    public const string NoRecipient = "no-recipient";

    /// <summary>Both channels: raised before the alerts were one mechanism, and delivered (or not) the old way.</summary>
    public const string Migrated = "migrated";
}
