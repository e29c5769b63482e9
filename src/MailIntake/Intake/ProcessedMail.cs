using TicketGateway.MailIntake.Parsing;

namespace TicketGateway.MailIntake.Intake;

/// <summary>
/// The result of taking one mail, handed to every <see cref="IInboundMailHandler"/> inside the
/// transaction that stored it.
/// </summary>
/// <param name="InboundId">The <c>mail_inbound</c> row.</param>
/// <param name="Source">Folder, UIDVALIDITY and UID.</param>
/// <param name="Mail">The parsed mail (null for <see cref="MailOutcome.AlreadySeen"/>).</param>
/// <param name="Outcome">What became of it.</param>
/// <param name="TicketId">The ticket it created or joined, if any.</param>
/// <param name="MessageRowId">The <c>messages</c> row it became, if any.</param>
/// <param name="Rule">The rule that attached it (<c>new</c>, <c>tag</c>, <c>in-reply-to</c>, <c>references</c>, <c>bounce</c>, ...).</param>
/// <param name="Classification">Robot, bounce, loop and rate-limit decisions; <see cref="MailClassification.MayAutoReply"/> says whether to acknowledge.</param>
public sealed record ProcessedMail(
    long InboundId,
    MailSource Source,
    InboundMail? Mail,
    MailOutcome Outcome,
    long? TicketId,
    long? MessageRowId,
    string? Rule,
    MailClassification Classification);
