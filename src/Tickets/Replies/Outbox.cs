using System.Data.Common;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Replies;

/// <summary>
/// The durable outbox. <see cref="Queue"/> writes a mail in the caller's transaction, complete with
/// its Message-ID (<c>unique@domain-of-Mail:SupportAddress</c>), <c>In-Reply-To</c>/<c>References</c>,
/// the ticket tag in the subject, <c>Auto-Submitted</c> on automatic mail and the loop header, so the
/// mail exists exactly when the change that causes it is committed. The SMTP sender then moves
/// rows through <c>queued -> sending -> sent</c> (or <c>failed</c>).
/// </summary>
public sealed class Outbox
{
    /// <summary>The header that marks every mail we send, so the intake can recognise our own mail coming back.</summary>
    public const string LoopHeader = "X-TicketGateway-Loop";

    private const string Columns = "id, ticket_id, purpose, status, message_id, sender, recipients, subject, counts_as_reply, created_at, attempts, next_attempt_at, sent_at, last_error";
    private readonly TicketService _tickets;
    private readonly MailOptions _mail;
    private readonly ReplyOptions _replies;
    private readonly TimeProvider _time;
    private readonly ReplyTemplates _templates;
    private readonly Func<IMailComposer> _composer;
    private readonly Delivery.DeliverySignal _wake = new();

    /// <summary>Creates the outbox.</summary>
    /// <param name="tickets">The ticket service.</param>
    /// <param name="templates">The templates.</param>
    /// <param name="mail">The Mail section.</param>
    /// <param name="replies">The Replies section.</param>
    /// <param name="time">The clock.</param>
    /// <param name="composer">The mail format (MailIntake's MIME composer), resolved on first use: only sending mail needs it.</param>
    /// <param name="alerts">
    /// The alert store, resolved on first use (it queues its mail here, so it cannot be built first):
    /// mail refused for good alerts the person on duty through it.
    /// </param>
    public Outbox(TicketService tickets, ReplyTemplates templates, MailOptions mail, ReplyOptions replies, TimeProvider time, Func<IMailComposer> composer, Func<Duty.AlertStore?>? alerts = null)
    {
        _composer = composer;
        _templates = templates;
        _tickets = tickets;
        _mail = mail;
        _replies = replies;
        _time = time;
        Delivery = new OutboxDelivery(this, tickets, replies, time, alerts ?? (() => null));
    }

    /// <summary>The delivery side: claims, sent, retries, refusals and bounces.</summary>
    public OutboxDelivery Delivery { get; }

    /// <summary>The store.</summary>
    public TicketDatabase Database => _tickets.Database;

    /// <summary>True when mail is configured (<c>Mail:SupportAddress</c>); otherwise nothing may be queued.</summary>
    public bool Enabled => _mail.Enabled;

    /// <summary><c>Mail:DutyAddress</c>: where alerts go when nobody on duty has an email address.</summary>
    public string? DutyAddress => _mail.DutyAddress;

    /// <summary>The support address every mail is sent from.</summary>
    public string SupportAddress => _mail.SupportAddress ?? throw new InvalidOperationException("Mail:SupportAddress is not set.");

    /// <summary>
    /// Writes a mail to the outbox in the caller's transaction and, for mail to the customer, stores
    /// it on the ticket with its Message-ID. Returns the Message-ID (without angle brackets).
    /// </summary>
    public string Queue(DbConnection connection, DbTransaction transaction, OutgoingMail mail, string actor)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var now = _time.GetUtcNow();
        var support = SupportAddress;
        if (mail.Attachments.Sum(a => a.Size) is var bytes and > 0 && bytes > _mail.Outbound.MaxAttachmentBytes)
        {
            throw new TicketException(TicketError.Invalid, $"The files are {bytes} bytes together; a mail may carry at most {_mail.Outbound.MaxAttachmentBytes} (Mail:Outbound:MaxAttachmentBytes).");
        }

        var subject = MailAddresses.HeaderSafe(mail.Content.Subject, TicketService.MaxSubjectLength);
        if (mail.TicketId is { } ticketId && !subject.Contains($"[{TicketReference.Format(ticketId)}]", StringComparison.OrdinalIgnoreCase))
        {
            subject = $"[{TicketReference.Format(ticketId)}] {subject}";
        }

        var message = new OutboundMessage
        {
            Date = now,
            From = new MailRecipient(MailAddresses.HeaderSafe(_replies.SupportName), support),
            To = [.. mail.To.Select(to => new MailRecipient(MailAddresses.HeaderSafe(to.Name), to.Address))],
            ReplyTo = mail.ReplyTo,
            Subject = subject,
            MessageId = $"{Guid.NewGuid():N}@{MailAddresses.Domain(support)}",
            InReplyTo = mail.InReplyTo is { Length: > 0 } inReplyTo ? inReplyTo : null,
            References = [.. mail.References.Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).TakeLast(20)],
            AutoSubmitted = mail.Automatic ? "auto-replied" : null,
            Loop = support,
            Text = mail.Content.Text,
            Html = mail.Content.Html,
            Attachments = mail.Attachments,
        };

        // Composed once, here: every attempt sends these bytes, with this Message-ID.
        var mime = _composer().Compose(message);
        CommandCache.Defer(
            connection,
            transaction,
            """
            INSERT INTO outbox (ticket_id, purpose, status, message_id, sender, recipients, subject, mime, counts_as_reply, created_at, next_attempt_at)
            VALUES (@t, @p, 'queued', @mid, @from, @to, @subject, @mime, @reply, @now, @now)
            """,
            ("@t", mail.TicketId),
            ("@p", mail.Purpose),
            ("@mid", message.MessageId),
            ("@from", support),
            ("@to", string.Join(',', mail.To.Select(t => t.Address))),
            ("@subject", subject),
            ("@mime", mime),
            ("@reply", mail.CountsAsReply ? 1 : 0),
            ("@now", now.ToDb()));

        if (mail.TicketId is { } id)
        {
            if (mail.RecordOnTicket)
            {
                var messageRow = _tickets.AddMessage(connection, transaction, id, new TicketMessage(
                    0, MessageDirection.Outbound, now, support, string.Join(", ", mail.To.Select(t => t.Address)), subject, mail.Content.Text, message.MessageId, mail.Automatic), actor, mail.Purpose + " queued");
                foreach (var file in mail.Attachments)
                {
                    Attachments.AttachmentSql.Insert(connection, transaction, id, messageRow, file);
                }
            }
            else
            {
                TicketSql.AppendHistory(connection, transaction, id, now, actor, "mail", $"{mail.Purpose} queued to {string.Join(", ", mail.To.Select(t => t.Address))}");
            }
        }

        Database.AfterCommit(connection, Wake);
        return message.MessageId;
    }

    /// <summary>Tells the sender there may be mail; it still checks the store, this only saves it a wait.</summary>
    public void Wake() => _wake.Notify();

    /// <summary>Waits for <see cref="Wake"/> or the timeout; true when woken.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);

    /// <summary>Outbox rows, newest first.</summary>
    public IReadOnlyList<OutboxEntry> List(OutboxStatus? status, int limit = 100) => Database.Read(c =>
    {
        using var command = c.Command(
            $"SELECT {Columns} FROM outbox" + (status is null ? "" : " WHERE status = @s") + " ORDER BY id DESC LIMIT @limit",
            null,
            ("@s", status is { } s ? Names.Of(s) : null),
            ("@limit", limit));
        return ReadAll(command);
    });

    /// <summary>Queued rows whose time has come, oldest first.</summary>
    public IReadOnlyList<OutboxEntry> Due(int limit) => Database.Read(c =>
    {
        using var command = c.Command(
            $"SELECT {Columns} FROM outbox WHERE {OutboxDelivery.Deliveries.DueCondition} ORDER BY next_attempt_at, id LIMIT @limit",
            null,
            ("@now", _time.GetUtcNow().ToDb()),
            ("@limit", limit));
        return ReadAll(command);
    });

    /// <summary>The stored message of a row, exactly as it will be sent.</summary>
    public byte[] Mime(long id) => Database.Read(c => (byte[])c.Scalar("SELECT mime FROM outbox WHERE id = @id", null, ("@id", id))!);

    /// <summary>One row, or null.</summary>
    public OutboxEntry? Find(long id) => Database.Read(c =>
    {
        using var command = c.Command($"SELECT {Columns} FROM outbox WHERE id = @id", null, ("@id", id));
        return ReadAll(command).SingleOrDefault();
    });

    private static List<OutboxEntry> ReadAll(DbCommand command)
    {
        using var r = command.ExecuteReader();
        var list = new List<OutboxEntry>();
        while (r.Read())
        {
            list.Add(new OutboxEntry(
                r.GetInt64(0),
                r.Int64OrNull(1),
                r.GetString(2),
                Names.Parse<OutboxStatus>(r.GetString(3)),
                r.GetString(4),
                r.GetString(5),
                r.GetString(6).Split(',', StringSplitOptions.RemoveEmptyEntries),
                r.GetString(7),
                r.GetInt64(8) != 0,
                r.Instant(9),
                r.GetInt32(10),
                r.Instant(11),
                r.InstantOrNull(12),
                r.StringOrNull(13)));
        }

        return list;
    }

    /// <summary>
    /// Mails an alert to the person on duty with a duty template (<see cref="TemplateNames.DeadlineReminder"/>,
    /// <see cref="TemplateNames.BreachAlert"/>, <see cref="TemplateNames.DutyAlert"/>), in the caller's
    /// transaction, in the desk language (<c>Replies:DeskLanguage</c>). The alert text is the template's <c>error</c>.
    /// </summary>
    /// <returns>The mail's Message-ID.</returns>
    public string QueueAlert(DbConnection connection, DbTransaction transaction, Ticket ticket, string template, string kind, string text, IEnumerable<string> to, DateTimeOffset? deadline = null)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var content = _templates.Render(template, _templates.DeskLanguage, new TemplateData { Ticket = ticket, Event = kind, Error = text, Deadline = deadline });
        return Queue(connection, transaction, new OutgoingMail
        {
            TicketId = ticket.Id,
            Purpose = AlertPurpose + kind,
            To = [.. to.Select(a => new MailRecipient(null, a.Trim()))],
            Content = content,
            Automatic = true,
        }, "alerts");
    }

    /// <summary>The purpose of alert mails in the outbox: <c>alert:KIND</c>.</summary>
    public const string AlertPurpose = "alert:";

    internal static bool IsAlert(string purpose) => purpose.StartsWith(AlertPurpose, StringComparison.Ordinal);
}
