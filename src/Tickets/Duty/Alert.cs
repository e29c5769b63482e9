namespace TicketGateway.Tickets.Duty;

/// <summary>An alert to the person on duty, with its delivery state per channel.</summary>
/// <param name="Id">The store's key.</param>
/// <param name="TicketId">The ticket it is about.</param>
/// <param name="Kind"><see cref="AlertKinds"/>: reminder, breach, reply-reminder, reply-breach, urge, undelivered-update or undelivered-mail.</param>
/// <param name="DeadlineAt">The deadline it is about (resolution, requested or first-reply; for the other kinds: when its cause happened).</param>
/// <param name="RaisedAt">When it was raised.</param>
/// <param name="DutyName">Who was on duty (comma-separated when several).</param>
/// <param name="DutyEmail">Their email addresses (comma-separated), or null.</param>
/// <param name="DutyMobile">Their mobile numbers (comma-separated), or null.</param>
/// <param name="Text">The alert text.</param>
/// <param name="WebhookState"><see cref="AlertStates"/>: pending, sent, failed or disabled.</param>
/// <param name="WebhookAttempts">Failed tries so far.</param>
/// <param name="EmailState"><see cref="AlertStates"/>: queued, sent, failed, no-recipient or disabled.</param>
/// <param name="EmailTo">Where the mail went (comma-separated), or null.</param>
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
    string EmailState,
    string? EmailTo)
{
    /// <summary>The ticket reference.</summary>
    public string Ref => TicketReference.Format(TicketId);
}
