namespace TicketGateway.Tickets.Replies;

/// <summary>The names of the shipped templates. The <see cref="Canned"/> ones, and any other name found in the template folder, are canned answers agents send with <c>#template NAME</c>.</summary>
public static class TemplateNames
{
    /// <summary>The automatic acknowledgement of a new ticket of this kind.</summary>
    public static string Acknowledgement(TicketKind kind) => "acknowledgement-" + Names.Of(kind);

    /// <summary>Wraps an agent's text with greeting, ticket reference and signature.</summary>
    public const string AgentReply = "agent-reply";

    /// <summary>Tells the customer the ticket is resolved and how.</summary>
    public const string Resolution = "resolution";

    /// <summary>Asks the customer to reply 1 or 2.</summary>
    public const string Survey = "survey";

    /// <summary>Tells the agents about a new ticket, a customer reply or an operator complaint.</summary>
    public const string AgentNotification = "agent-notification";

    /// <summary>Answers an agent whose mail had an unknown command or could not be applied.</summary>
    public const string AgentHelp = "agent-help";

    /// <summary>Warns the agents about a mail that claimed to be an agent's without proof.</summary>
    public const string AgentWarning = "agent-warning";

    /// <summary>Reminds the person on duty that a deadline is near.</summary>
    public const string DeadlineReminder = "deadline-reminder";

    /// <summary>Tells the person on duty that a deadline was missed or a mail could not be delivered.</summary>
    public const string BreachAlert = "breach-alert";

    /// <summary>Tells the person on duty about an operator's urge or a delivery failure (the alert text is <c>error</c>, its kind <c>event</c>).</summary>
    public const string DutyAlert = "duty-alert";

    /// <summary>Every template the gateway itself sends; all must exist in both languages.</summary>
    public static IReadOnlyList<string> Required { get; } =
    [
        .. Enum.GetValues<TicketKind>().Select(Acknowledgement),
        AgentReply, Resolution, Survey, AgentNotification, AgentHelp, AgentWarning, DeadlineReminder, BreachAlert, DutyAlert,
    ];

    /// <summary>Canned answers shipped in both languages, sent by an agent with <c>#template NAME</c> or <c>reply --template NAME</c>.</summary>
    public static IReadOnlyList<string> Canned { get; } = ["refund-approved", "unsubscribe-done", "need-more-information", "fault-fixed"];

    /// <summary>The languages templates are shipped in; the first is the default.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["zh-CN", "en"];
}
