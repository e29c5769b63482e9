namespace TicketGateway.Tickets.Duty;

/// <summary>The kinds of alert.</summary>
public static class AlertKinds
{
    /// <summary>The complaint has used the configured share of its resolution time.</summary>
    public const string Reminder = "reminder";

    /// <summary>The resolution deadline passed.</summary>
    public const string Breach = "breach";

    /// <summary>The operator pressed for speed (Urge).</summary>
    public const string Urge = "urge";

    /// <summary>An update to the operator is still undelivered after <c>OperatorGateway:Delivery:UndeliveredAlertAfter</c>.</summary>
    public const string UndeliveredUpdate = "undelivered-update";

    /// <summary>A mail of a ticket was refused for good by the SMTP server, or bounced.</summary>
    public const string UndeliveredMail = "undelivered-mail";
}
