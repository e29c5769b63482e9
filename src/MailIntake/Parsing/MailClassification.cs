namespace TicketGateway.MailIntake.Parsing;

/// <summary>
/// What kind of sender a mail comes from, decided from its headers and structure. The reply side
/// reads it to decide whether a mail may be answered automatically (<see cref="MayAutoReply"/>).
/// </summary>
/// <param name="IsAutomated">Not written by a person: Auto-Submitted other than "no", Precedence bulk/junk/list, X-Autoreply, X-Autorespond, List-Id, empty Return-Path, mailer-daemon or postmaster, a delivery report.</param>
/// <param name="IsAutoReply">An out-of-office or other auto-reply.</param>
/// <param name="IsBounce">A delivery status notification (or a mailer-daemon's notice).</param>
/// <param name="IsList">Mailing-list or bulk mail.</param>
/// <param name="IsOwnLoop">Our own mail coming back (our loop header, mail from the support address, or an outbox Message-ID in our domain).</param>
/// <param name="IsRateLimited">The sender wrote more mails in the last hour than <c>Mail:Intake:AutoReplyLimitPerHour</c>.</param>
/// <param name="Reason">Which header or property decided, for logs and history.</param>
public sealed record MailClassification(
    bool IsAutomated,
    bool IsAutoReply,
    bool IsBounce,
    bool IsList,
    bool IsOwnLoop,
    bool IsRateLimited,
    string? Reason)
{
    /// <summary>A person's mail.</summary>
    public static MailClassification Person { get; } = new(false, false, false, false, false, false, null);

    /// <summary>Whether an automatic reply (acknowledgement) may go to the sender.</summary>
    public bool MayAutoReply => !IsAutomated && !IsOwnLoop && !IsRateLimited;
}
