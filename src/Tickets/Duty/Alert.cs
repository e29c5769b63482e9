namespace TicketGateway.Tickets.Duty;

/// <summary>An alert to the person on duty, with its delivery state per channel.</summary>
/// <param name="Id">The store's key.</param>
/// <param name="TicketId">The ticket it is about.</param>
/// <param name="Kind"><see cref="AlertKinds"/>: reminder, breach or urge.</param>
/// <param name="DeadlineAt">The resolution deadline it is about (for an urge: when it was raised).</param>
/// <param name="RaisedAt">When it was raised.</param>
/// <param name="DutyName">Who was on duty (comma-separated when several).</param>
/// <param name="DutyEmail">Their email addresses (comma-separated), or null.</param>
/// <param name="DutyMobile">Their mobile numbers (comma-separated), or null.</param>
/// <param name="Text">The alert text.</param>
/// <param name="WebhookState"><see cref="AlertStates"/>: pending, sent, failed or disabled.</param>
/// <param name="WebhookAttempts">Failed tries so far.</param>
/// <param name="EmailState"><see cref="AlertStates"/>: awaiting-outbox, queued or no-recipient.</param>
public sealed record Alert(
    long Id,
    long TicketId,
    string Kind,
    DateTimeOffset DeadlineAt,
    DateTimeOffset RaisedAt,
    string? DutyName,
    string? DutyEmail,
    string? DutyMobile,
    string Text,
    string WebhookState,
    int WebhookAttempts,
    string EmailState)
{
    /// <summary>The ticket reference.</summary>
    public string Ref => TicketReference.Format(TicketId);
}

/// <summary>The kinds of alert.</summary>
public static class AlertKinds
{
    /// <summary>The complaint has used the configured share of its resolution time.</summary>
    public const string Reminder = "reminder";

    /// <summary>The resolution deadline passed.</summary>
    public const string Breach = "breach";

    /// <summary>The operator pressed for speed (Urge).</summary>
    public const string Urge = "urge";
}

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
