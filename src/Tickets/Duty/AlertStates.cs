namespace TicketGateway.Tickets.Duty;

/// <summary>Delivery states of an alert's channels.</summary>
public static class AlertStates
{
    /// <summary>Chat: to be posted.</summary>
    public const string Pending = "pending";

    /// <summary>Chat: the robot accepted it.</summary>
    public const string Sent = "sent";

    /// <summary>Chat: gave up after the configured number of tries.</summary>
    public const string Failed = "failed";

    /// <summary>Chat: no webhook was configured when the alert was raised.</summary>
    public const string Disabled = "disabled";

    /// <summary>Email: waiting to be handed to the mail outbox (see <see cref="AlertStore.HandEmailsToOutbox"/>).</summary>
    public const string AwaitingOutbox = "awaiting-outbox";

    /// <summary>Email: in the outbox; the outbox delivers it.</summary>
    public const string Queued = "queued";

    /// <summary>Email: nobody on duty had an email address.</summary>
    public const string NoRecipient = "no-recipient";
}
