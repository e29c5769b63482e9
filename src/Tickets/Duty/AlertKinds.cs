namespace TicketGateway.Tickets.Duty;

/// <summary>The kinds of alert.</summary>
public static class AlertKinds
{
    /// <summary>The complaint has used the configured share of its resolution time.</summary>
    public const string Reminder = "reminder";

    /// <summary>The resolution deadline passed.</summary>
    public const string Breach = "breach";

    /// <summary>A ticket not answered yet has used the configured share of its first-reply time.</summary>
    public const string ReplyReminder = "reply-reminder";

    /// <summary>The first-reply deadline passed without a first reply.</summary>
    public const string ReplyBreach = "reply-breach";

    /// <summary>The operator pressed for speed (Urge).</summary>
    public const string Urge = "urge";

    /// <summary>An update to the operator is still undelivered after <c>OperatorGateway:Delivery:UndeliveredAlertAfter</c>.</summary>
    public const string UndeliveredUpdate = "undelivered-update";

    /// <summary>A mail of a ticket was refused for good by the SMTP server, or bounced.</summary>
    public const string UndeliveredMail = "undelivered-mail";

    /// <summary>Every kind, in the order <c>alerts list</c> documents them.</summary>
    public static IReadOnlyList<string> All { get; } = [Reminder, Breach, ReplyReminder, ReplyBreach, Urge, UndeliveredUpdate, UndeliveredMail];
}
