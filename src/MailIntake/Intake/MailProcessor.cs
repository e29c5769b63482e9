using System.Data.Common;
using TicketGateway.MailIntake.Parsing;
using TicketGateway.Tickets.Attachments;
using TicketGateway.Tickets.Replies;
using TicketGateway.Tickets.Storage;
using TicketGateway.Tickets;

namespace TicketGateway.MailIntake.Intake;

/// <summary>
/// Turns one parsed mail into its ticket change and records the mail (source, raw bytes,
/// attachments, outcome) in the caller's transaction, so the ticket and the "seen" record commit
/// together or not at all. A mail already seen, by UID or by Message-ID and content, changes nothing.
/// </summary>
public sealed class MailProcessor
{
    /// <summary>The actor named in history for everything the intake does.</summary>
    public const string Actor = "mail";

    private const string NoSubject = "(no subject)";
    private const string NoText = "(no text)";

    private readonly TicketService _tickets;
    private readonly IntakeOptions _intake;
    private readonly TimeProvider _time;
    private readonly IInboundMailHandler[] _handlers;
    private readonly IInboundMailClaimer[] _claimers;
    private readonly IntakeRules _rules;
    private readonly MailThreader _threader;

    /// <summary>Creates the processor.</summary>
    public MailProcessor(TicketService tickets, MailOptions mail, IntakeOptions intake, TimeProvider time, IEnumerable<IInboundMailHandler> handlers, IEnumerable<IInboundMailClaimer>? claimers = null)
    {
        ArgumentNullException.ThrowIfNull(mail);
        _tickets = tickets;
        _intake = intake;
        _time = time;
        _handlers = [.. handlers];
        _claimers = [.. claimers ?? []];
        _rules = new IntakeRules(intake);
        _threader = new MailThreader(mail.TagPrefix);
    }

    /// <summary>
    /// Takes one mail in the caller's transaction. A new ticket is accepted when the mail reached the
    /// mailbox (<see cref="MailSource.ArrivedAt"/>), or when the gateway first saw it if that is
    /// earlier (a server clock ahead of ours): a mail that waited in the inbox while the gateway was
    /// down, or in quarantine until an operator retried it, does not get later deadlines for it.
    /// </summary>
    /// <param name="retryOf">The <c>mail_inbound</c> row of a quarantined mail being retried; its row is rewritten instead of a new one added.</param>
    public ProcessedMail Process(DbConnection connection, DbTransaction transaction, MailSource source, InboundMail mail, RawMail raw, long? retryOf = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(mail);
        ArgumentNullException.ThrowIfNull(raw);
        var now = _time.GetUtcNow();
        if (retryOf is null && IntakeSql.SeenUid(connection, transaction, source))
        {
            return new ProcessedMail(0, source, null, MailOutcome.AlreadySeen, null, null, null, mail.Classification);
        }

        var classification = mail.Classification;
        if (mail.FromAddress is { } sender && !classification.IsAutomated
            && IntakeSql.CountFromSender(connection, transaction, sender, now.AddHours(-1)) >= _intake.AutoReplyLimitPerHour)
        {
            classification = classification with { IsRateLimited = true };
        }

        var firstSeen = retryOf is { } held ? IntakeSql.ReceivedAt(connection, transaction, held) : now;
        var moments = new Moments(source.ArrivedAt is { } arrived && arrived < firstSeen ? arrived : firstSeen, source.ArrivedAt, firstSeen, now);
        var result = Decide(connection, transaction, mail, classification, moments);
        var row = new InboundRow(source, mail.MessageId, mail.ContentHash, mail.FromAddress, mail.Subject, now, raw, mail.Html,
            result.Outcome, result.Rule, result.TicketId, result.MessageRowId, classification);
        long inboundId;
        if (retryOf is { } existing)
        {
            IntakeSql.UpdateInbound(connection, transaction, existing, row);
            inboundId = existing;
        }
        else
        {
            inboundId = IntakeSql.InsertInbound(connection, transaction, row);
        }

        // A mail's files go with the message it became (an agent's mail becomes no message of its own:
        // its files stay on the ticket, never sent). Mail that became no ticket keeps them in its raw bytes.
        if (result.Outcome != MailOutcome.Duplicate && !result.FilesStored && result.TicketId is { } fileTicket)
        {
            foreach (var a in mail.Attachments)
            {
                AttachmentSql.Insert(connection, transaction, fileTicket, result.MessageRowId,
                    new NewAttachment(a.FileName, a.ContentType, a.Content, a.Size, a.ContentId, a.Inline, a.DroppedReason));
            }
        }

        var processed = new ProcessedMail(inboundId, source, mail, result.Outcome, result.TicketId, result.MessageRowId, result.Rule, classification);
        foreach (var handler in _handlers)
        {
            handler.OnMailProcessed(connection, transaction, processed);
        }

        return processed;
    }

    /// <summary>Holds a mail that could not be processed, with its raw bytes and the reason, in the caller's transaction.</summary>
    public long Quarantine(DbConnection connection, DbTransaction transaction, MailSource source, RawMail raw, string reason, InboundMail? partial = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(raw);
        var now = _time.GetUtcNow();
        var hash = partial?.ContentHash ?? (raw.Bytes is { } b ? ContentHash.Of(b) : raw.SpoolPath is { } p ? MailReader.HashFile(p) : "");
        var row = new InboundRow(source, partial?.MessageId, hash, partial?.FromAddress, partial?.Subject, now, raw, null,
            MailOutcome.Quarantined, null, null, null, partial?.Classification ?? MailClassification.Person);
        var inboundId = IntakeSql.InsertInbound(connection, transaction, row);
        IntakeSql.AdvanceLastUid(connection, transaction, source, now);
        return QuarantineSql.Insert(connection, transaction, inboundId, reason, now);
    }

    private Decision Decide(DbConnection c, DbTransaction tx, InboundMail mail, MailClassification classification, Moments moments)
    {
        if (mail.MessageId is { } mid && IntakeSql.FindDuplicate(c, tx, mid, mail.ContentHash, null) is { } dup)
        {
            return new Decision(MailOutcome.Duplicate, dup.TicketId, null, $"duplicate of mail {dup.InboundId}");
        }

        if (classification.IsOwnLoop)
        {
            return new Decision(MailOutcome.OwnLoop, null, null, classification.Reason);
        }

        foreach (var claimer in _claimers)
        {
            if (claimer.Claim(c, tx, mail) is { } claim)
            {
                return new Decision(MailOutcome.Claimed, claim.TicketId, claim.MessageRowId, claim.Rule) { FilesStored = claim.FilesStored };
            }
        }

        var match = _threader.Find(c, tx, mail);
        if (classification.IsBounce && IntakeSql.FindMessages(c, tx, mail.BouncedMessageIds, outboundOnly: true) is [var first, ..])
        {
            var rule = $"bounce of <{first.MessageId}>";
            var row = AddMessage(c, tx, first.TicketId, mail, moments, automatic: true, rule);
            return new Decision(MailOutcome.Bounce, first.TicketId, row, rule);
        }

        if (classification.IsAutomated)
        {
            // Robots never open or reopen anything; an out-of-office reply still belongs in its conversation.
            return match.TicketId is { } robotTicket
                ? new Decision(MailOutcome.Automated, robotTicket, AddMessage(c, tx, robotTicket, mail, moments, automatic: true, $"{match.Rule}; automated: {classification.Reason}"), match.Rule)
                : new Decision(MailOutcome.Ignored, null, null, $"automated: {classification.Reason}");
        }

        if (match.TicketId is not { } ticketId)
        {
            return Create(c, tx, mail, moments, match.StrangerTag, repeatOf: null, "new");
        }

        var ticket = TicketSql.Find(c, tx, ticketId)!;
        if (ticket.Status is TicketStatus.Resolved or TicketStatus.Closed)
        {
            if (ticket.Kind == TicketKind.Complaint && ticket.FirstReplyAt is not null)
            {
                // The customer complains again about an answered complaint: a repeat complaint (重复投诉), a ticket of its own.
                return Create(c, tx, mail, moments, null, ticket, match.Rule!);
            }

            _tickets.Change(c, tx, ticketId, Actor, (t, history) =>
            {
                history("reopened", $"status {Names.Of(t.Status)} -> open: the customer wrote again ({match.Rule})");
                return t with { Status = TicketStatus.Open, ResolvedAt = null };
            });
            return new Decision(MailOutcome.Reopened, ticketId, AddMessage(c, tx, ticketId, mail, moments, automatic: false, match.Rule!), match.Rule);
        }

        return new Decision(MailOutcome.Threaded, ticketId, AddMessage(c, tx, ticketId, mail, moments, automatic: false, match.Rule!), match.Rule);
    }

    private Decision Create(DbConnection c, DbTransaction tx, InboundMail mail, Moments moments, long? linkedTo, Ticket? repeatOf, string rule)
    {
        var subject = mail.Subject.Length == 0 ? NoSubject : mail.Subject.Length > TicketService.MaxSubjectLength ? mail.Subject[..TicketService.MaxSubjectLength] : mail.Subject;
        var text = Text(mail);
        var (kind, kindKeyword) = repeatOf is null ? _rules.Kind(subject, text) : (TicketKind.Complaint, null);
        int? level = null;
        string? levelKeyword = null;
        if (kind == TicketKind.Complaint)
        {
            (level, levelKeyword) = repeatOf?.Level is { } l ? (l, null) : _rules.Level(subject, text);
        }

        var prepared = _tickets.Prepare(new NewTicket(Channel.Email, kind, new Customer(mail.FromName, mail.FromAddress, null), subject, text, level, ReplyLanguage.Detect(subject, text.Length > 4000 ? text[..4000] : text), moments.AcceptedAt));
        var (ticket, messageRow) = _tickets.InsertWithFirstMessage(c, tx, prepared, text, Actor, mail.MessageId, mail.FromAddress, mail.To);
        var why = $"new ticket from mail{(mail.MessageId is { } m ? $" <{m}>" : "")} ({rule})"
            + (kindKeyword is null ? $"; kind {Names.Of(kind)}" : $"; kind {Names.Of(kind)} by keyword '{kindKeyword}'")
            + (levelKeyword is null ? "" : $"; level {level} by keyword '{levelKeyword}'")
            + $"; {Describe(moments)}";
        TicketSql.AppendHistory(c, tx, ticket.Id, _time.GetUtcNow(), Actor, "mail", why);
        if (linkedTo is { } other)
        {
            TicketSql.AppendHistory(c, tx, ticket.Id, _time.GetUtcNow(), Actor, "link", $"related to {TicketReference.Format(other)}: the subject carries its tag, but {mail.FromAddress} is not one of its participants");
            TicketSql.AppendHistory(c, tx, other, _time.GetUtcNow(), Actor, "link", $"{ticket.Ref} carries this ticket's tag from {mail.FromAddress}, who is not a participant");
        }

        var outcome = MailOutcome.Created;
        if (repeatOf is not null)
        {
            _tickets.MarkRepeat(c, tx, ticket.Id, repeatOf.Id, $"the customer wrote to answered complaint {repeatOf.Ref} ({rule})", Actor);
            TicketSql.AppendHistory(c, tx, repeatOf.Id, _time.GetUtcNow(), Actor, "repeat", $"the customer complained again: repeat complaint {ticket.Ref} ({rule})");
            outcome = MailOutcome.Repeat;
        }

        return new Decision(outcome, ticket.Id, messageRow, repeatOf is null ? rule : $"repeat of {repeatOf.Ref} ({rule})");
    }

    private long AddMessage(DbConnection c, DbTransaction tx, long ticketId, InboundMail mail, Moments moments, bool automatic, string rule) =>
        _tickets.AddMessage(c, tx, ticketId, new TicketMessage(0, MessageDirection.Inbound, moments.AcceptedAt, mail.FromAddress, mail.To, mail.Subject, Text(mail), mail.MessageId, automatic), Actor, rule);

    private static string Text(InboundMail mail) =>
        mail.Text.Length == 0 ? NoText
        : mail.Text.Length > TicketService.MaxTextLength ? mail.Text[..(TicketService.MaxTextLength - 40)] + "\n[text cut: the mail's text is longer]"
        : mail.Text;

    // Both moments go into the history: when the mail reached the mailbox and when it was processed.
    private string Describe(Moments m) =>
        $"accepted {_tickets.Local(m.AcceptedAt)}: "
        + (m.ArrivedAt is { } arrived ? $"arrived in the mailbox {_tickets.Local(arrived)}" : "the mailbox gave no arrival time")
        + (m.FirstSeenAt != m.ProcessedAt ? $", first seen {_tickets.Local(m.FirstSeenAt)}" : "")
        + $", processed {_tickets.Local(m.ProcessedAt)}";

    /// <summary>When a mail was accepted, reached the mailbox, was first seen by the gateway and was processed.</summary>
    private sealed record Moments(DateTimeOffset AcceptedAt, DateTimeOffset? ArrivedAt, DateTimeOffset FirstSeenAt, DateTimeOffset ProcessedAt);

    private sealed record Decision(MailOutcome Outcome, long? TicketId, long? MessageRowId, string? Rule)
    {
        public bool FilesStored { get; init; }
    }
}
