namespace TicketGateway.MailIntake.Intake;

/// <summary>What became of a mail. Stored by name in <c>mail_inbound.outcome</c>.</summary>
public enum MailOutcome
{
    /// <summary>A new ticket.</summary>
    Created,

    /// <summary>Added to an existing ticket.</summary>
    Threaded,

    /// <summary>Added to a resolved or closed ticket, which it reopened.</summary>
    Reopened,

    /// <summary>A new complaint recorded as a repeat of an answered one.</summary>
    Repeat,

    /// <summary>A robot's mail (auto-reply, list) added to its ticket without changing it.</summary>
    Automated,

    /// <summary>A delivery report for one of our mails, added to its ticket; that reply is marked undelivered.</summary>
    Bounce,

    /// <summary>A robot's mail that belongs to no ticket: kept, but no ticket.</summary>
    Ignored,

    /// <summary>Our own mail coming back: kept, but no ticket.</summary>
    OwnLoop,

    /// <summary>The same mail (Message-ID and content) was already taken under another UID.</summary>
    Duplicate,

    /// <summary>This UID was already taken (a restart between commit and move).</summary>
    AlreadySeen,

    /// <summary>Handled by an <see cref="IInboundMailClaimer"/> (an agent's reply, a survey answer).</summary>
    Claimed,

    /// <summary>Could not be processed; held in quarantine.</summary>
    Quarantined,
}
