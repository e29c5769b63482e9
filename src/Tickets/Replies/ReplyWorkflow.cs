using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using MimeKit;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Replies;

/// <summary>
/// The outgoing half of the email channel, in one place. Every method works inside the caller's
/// transaction (the intake's per-mail transaction, or a CLI change), so what it queues is committed
/// together with the change that causes it, or not at all. The intake calls, per processed mail:
/// <see cref="TryHandleAgentMail"/> first (mail to a signed ticket address), then for a mail that
/// threads into a resolved ticket <see cref="TryHandleSurveyAnswer"/>, then
/// <see cref="OnNewTicketFromMail"/> or <see cref="OnCustomerReply"/>.
/// </summary>
public sealed partial class ReplyWorkflow
{
    private const int MaxQuotedText = 20_000;

    // Set while Reply resolves a ticket, for the resolution observer that the change calls
    // synchronously on this thread: what the resolution mail shows (see ResolutionMail).
    [ThreadStatic]
    private static long t_resolving;

    [ThreadStatic]
    private static ResolutionMail t_resolutionMail;

    private readonly TicketService _tickets;
    private readonly Outbox _outbox;
    private readonly ReplyTemplates _templates;
    private readonly MailOptions _mail;
    private readonly AgentDirectory _agents;
    private readonly TimeProvider _time;
    private readonly ILogger<ReplyWorkflow> _logger;
    private readonly ReplyAddress? _replyAddress;

    /// <summary>Creates the workflow.</summary>
    public ReplyWorkflow(TicketService tickets, Outbox outbox, ReplyTemplates templates, MailOptions mail, AgentDirectory agents, TimeProvider time, ILogger<ReplyWorkflow> logger)
    {
        ArgumentNullException.ThrowIfNull(mail);
        _tickets = tickets;
        _outbox = outbox;
        _templates = templates;
        _mail = mail;
        _agents = agents;
        _time = time;
        _logger = logger;
        _replyAddress = mail.Enabled ? new ReplyAddress(mail.SupportAddress!, mail.ReplyTokenSecret!) : null;
    }

    /// <summary>True when <c>Mail:SupportAddress</c> is set; otherwise nothing is ever queued.</summary>
    public bool Enabled => _replyAddress is not null;

    /// <summary>The signed reply address of a ticket (<c>support+TG-000123.token@domain</c>).</summary>
    public string SignedAddress(long ticketId) => (_replyAddress ?? throw new InvalidOperationException("Mail:SupportAddress is not set.")).For(ticketId);

    /// <summary>
    /// A new ticket was created from <paramref name="mail"/> in this transaction: acknowledge it with
    /// the template of its kind (unless <paramref name="acknowledge"/> is false because the sender is
    /// rate-limited, or the mail is automated or our own) and notify the agents.
    /// </summary>
    public void OnNewTicketFromMail(SqliteConnection connection, SqliteTransaction transaction, Ticket ticket, MimeMessage mail, bool acknowledge = true)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(mail);
        if (!Enabled)
        {
            return;
        }

        // A mail whose From names no single trusted sender is never acknowledged (the intake holds such mail anyway).
        if (acknowledge && SenderAddress.Of(mail) is not null && !IsAutomatedOrOurs(mail) && CustomerAddress(ticket) is { } customer)
        {
            var content = _templates.Render(TemplateNames.Acknowledgement(ticket.Kind), ticket.Language, new TemplateData { Ticket = ticket });
            var (inReplyTo, references) = Conversation(connection, transaction, ticket.Id, mail);
            _outbox.Queue(connection, transaction, new OutgoingMail
            {
                TicketId = ticket.Id,
                Purpose = "acknowledgement",
                To = [customer],
                Content = content,
                Automatic = true,
                RecordOnTicket = true,
                InReplyTo = inReplyTo,
                References = references,
            }, "mail");
        }

        NotifyAgents(connection, transaction, ticket, "new", SenderAddress.Of(mail)?.Address, TextOf(mail));
    }

    /// <summary>A customer's mail was added to an existing ticket in this transaction: notify the agents.</summary>
    public void OnCustomerReply(SqliteConnection connection, SqliteTransaction transaction, Ticket ticket, MimeMessage mail)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(mail);
        if (Enabled)
        {
            NotifyAgents(connection, transaction, ticket, "reply", SenderAddress.Of(mail)?.Address, TextOf(mail));
        }
    }

    /// <summary>
    /// Answers the customer of a ticket, with free text or a named template, and optionally resolves
    /// the ticket (the survey follows, queued by the resolution). Used by agents' mail and the CLI.
    /// </summary>
    /// <exception cref="TicketException">No such ticket, no customer address, unknown template, or the ticket is already resolved.</exception>
    public Ticket Reply(SqliteConnection connection, SqliteTransaction transaction, long ticketId, string? text, string? template, bool resolve, string actor, string? agentName = null)
    {
        var ticket = TicketSql.Find(connection, transaction, ticketId) ?? throw new TicketException(TicketError.NotFound, $"Ticket {TicketReference.Format(ticketId)} does not exist.");
        text = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (text is null && template is null && !resolve)
        {
            throw new TicketException(TicketError.Invalid, "A reply needs a text or a template.");
        }

        if (template is not null && !_templates.Exists(template))
        {
            throw new TicketException(TicketError.Invalid, $"There is no template named '{template}'; run 'ticketgw templates list' for the names.");
        }

        if (resolve && ticket.Status is TicketStatus.Resolved or TicketStatus.Closed)
        {
            throw new TicketException(TicketError.Conflict, $"{ticket.Ref} is already {Names.Of(ticket.Status)}; reopen it first.");
        }

        var resolution = text ?? (template is not null ? $"answered with template {template}" : $"resolved by {agentName ?? actor}");
        if ((text is not null || template is not null) && ticket.Channel == Channel.Operator && CustomerAddress(ticket) is null)
        {
            // The operator's complaint is answered to the operator, not by mail: the answer is recorded
            // on the ticket, and the operator exchange's observer sends it as a `progress` update.
            var shown = resolve ? ticket with { Resolution = resolution } : ticket;
            var answer = text ?? _templates.Render(template!, ticket.Language, new TemplateData { Ticket = shown, AgentName = agentName ?? "" }).Text.Trim();
            _tickets.AddMessage(connection, transaction, ticket.Id, new TicketMessage(
                0, MessageDirection.Outbound, _time.GetUtcNow(), agentName ?? actor, "operator " + ticket.Operator?.OperatorId, ticket.Subject, answer, null, Automatic: false),
                actor, "answer to the operator's complaint");
        }
        else if (text is not null || template is not null)
        {
            if (!Enabled)
            {
                throw new TicketException(TicketError.Conflict, "Email replies are not configured (Mail:SupportAddress is not set).");
            }

            var customer = CustomerAddress(ticket) ?? throw new TicketException(TicketError.Conflict, $"{ticket.Ref} has no customer email address to answer.");
            if (resolve && template is null)
            {
                // Resolving with a free text: the resolution mail, queued with the survey by the
                // resolution itself (QueueResolutionAndSurvey), carries the text; one mail, not two.
                return Resolve(connection, transaction, ticket, resolution, actor, ResolutionMail.Full);
            }

            // Rendered against the ticket as it will be, so a resolution template shows the resolution;
            // queued before the resolution, so the customer gets the answer before the survey.
            var shown = resolve ? ticket with { Resolution = resolution } : ticket;
            var data = new TemplateData { Ticket = shown, AgentName = agentName ?? "", AgentText = text };
            var content = _templates.Render(template ?? TemplateNames.AgentReply, ticket.Language, data);
            QueueToCustomer(connection, transaction, ticket, customer, template is null ? "agent-reply" : "template:" + template, content, actor, countsAsReply: true);
            if (resolve)
            {
                // The canned answer is the outcome the customer reads; a second mail would repeat it.
                return Resolve(connection, transaction, ticket, resolution, actor, ResolutionMail.None);
            }
        }

        // Resolved without a text of the agent's: "resolved by ..." is for the history, not the customer.
        return resolve
            ? Resolve(connection, transaction, ticket, resolution, actor, text is null ? ResolutionMail.WithoutText : ResolutionMail.Full)
            : TicketSql.Find(connection, transaction, ticket.Id)!;
    }

    private Ticket Resolve(SqliteConnection connection, SqliteTransaction transaction, Ticket ticket, string resolution, string actor, ResolutionMail mail)
    {
        (t_resolving, t_resolutionMail) = (ticket.Id, mail);
        try
        {
            return _tickets.Change(connection, transaction, ticket.Id, actor, (t, history) =>
            {
                history("resolved", $"status {Names.Of(t.Status)} -> resolved: {resolution}");
                return t with { Status = TicketStatus.Resolved, ResolvedAt = _time.GetUtcNow(), Resolution = resolution };
            });
        }
        finally
        {
            (t_resolving, t_resolutionMail) = (0, ResolutionMail.Full);
        }
    }

    /// <summary>
    /// A ticket was resolved (CLI, gRPC, agent mail; called by the resolution observer): tells an
    /// email customer the outcome with the <see cref="TemplateNames.Resolution"/> template, then asks
    /// for the survey, both threaded into the conversation and in the customer's language.
    /// </summary>
    internal void QueueResolutionAndSurvey(SqliteConnection connection, SqliteTransaction transaction, Ticket ticket, string actor)
    {
        if (!Enabled || ticket.Channel != Channel.Email || CustomerAddress(ticket) is not { } customer)
        {
            return;
        }

        var mail = t_resolving == ticket.Id ? t_resolutionMail : ResolutionMail.Full;
        if (mail != ResolutionMail.None)
        {
            var shown = mail == ResolutionMail.WithoutText ? ticket with { Resolution = null } : ticket;
            var resolution = _templates.Render(TemplateNames.Resolution, ticket.Language, new TemplateData { Ticket = shown });
            QueueToCustomer(connection, transaction, ticket, customer, TemplateNames.Resolution, resolution, actor, countsAsReply: true);
        }

        var survey = _templates.Render(TemplateNames.Survey, ticket.Language, new TemplateData { Ticket = ticket });
        QueueToCustomer(connection, transaction, ticket, customer, TemplateNames.Survey, survey, actor, countsAsReply: false);
    }

    private enum ResolutionMail
    {
        Full,
        WithoutText,
        None,
    }

    private void QueueToCustomer(SqliteConnection connection, SqliteTransaction transaction, Ticket ticket, MailboxAddress customer, string purpose, RenderedMail content, string actor, bool countsAsReply)
    {
        var (inReplyTo, references) = Conversation(connection, transaction, ticket.Id, null);
        _outbox.Queue(connection, transaction, new OutgoingMail
        {
            TicketId = ticket.Id,
            Purpose = purpose,
            To = [customer],
            Content = content,
            // The survey is the gateway's own; an answer or the resolution is the desk's.
            Automatic = purpose == TemplateNames.Survey,
            CountsAsReply = countsAsReply,
            RecordOnTicket = true,
            InReplyTo = inReplyTo,
            References = references,
        }, actor);
    }
    /// <summary>Tells the agents (Mail:AgentsAddress, or every configured agent) about a ticket, with the signed reply address.</summary>
    internal void NotifyAgents(SqliteConnection connection, SqliteTransaction transaction, Ticket ticket, string what, string? from, string? text)
    {
        if (!Enabled || AgentRecipients() is not { Count: > 0 } recipients)
        {
            return;
        }

        var reply = SignedAddress(ticket.Id);
        var content = _templates.Render(TemplateNames.AgentNotification, _templates.DeskLanguage, new TemplateData
        {
            Ticket = ticket,
            Event = what,
            MessageFrom = from,
            MessageText = Shorten(text),
            ReplyAddress = reply,
        });
        _outbox.Queue(connection, transaction, new OutgoingMail
        {
            TicketId = ticket.Id,
            Purpose = TemplateNames.AgentNotification,
            To = recipients,
            Content = content,
            Automatic = true,
            ReplyTo = reply,
        }, "mail");
    }

    private List<MailboxAddress> AgentRecipients() =>
        _mail.AgentsAddress is { Length: > 0 } shared
            ? [MailboxAddress.Parse(shared)]
            : [.. _agents.All.Select(a => new MailboxAddress(a.Name, a.Email))];

    private static MailboxAddress? CustomerAddress(Ticket ticket) =>
        ticket.Customer.Email is { } email ? new MailboxAddress(MailAddresses.HeaderSafe(ticket.Customer.Name), email) : null;

    // The conversation's Message-IDs in order (RFC 5322: the answered mail's References, then its
    // Message-ID); the mail answered is the given one, else the latest message from the customer.
    private static (string? InReplyTo, List<string> References) Conversation(SqliteConnection connection, SqliteTransaction transaction, long ticketId, MimeMessage? answering)
    {
        var ids = new List<string>(answering?.References ?? []);
        string? lastInbound = null;
        // Prepared once per writer connection: every acknowledgement of the intake runs it.
        using (var r = CommandCache.Get(
            connection, transaction, "SELECT message_id, direction FROM messages WHERE ticket_id = $t AND message_id IS NOT NULL ORDER BY at, id", ("$t", ticketId)).ExecuteReader())
        {
            while (r.Read())
            {
                if (!ids.Contains(r.GetString(0)))
                {
                    ids.Add(r.GetString(0));
                }

                if (r.GetString(1) == Names.Of(MessageDirection.Inbound))
                {
                    lastInbound = r.GetString(0);
                }
            }
        }

        var answered = answering?.MessageId is { Length: > 0 } id ? id : null;
        if (answered is not null)
        {
            ids.Remove(answered);
            ids.Add(answered);
        }

        return (answered ?? lastInbound, ids);
    }

    private bool IsAutomatedOrOurs(MimeMessage mail)
    {
        var h = mail.Headers;
        var from = SenderAddress.Of(mail)?.Address ?? "";
        return h.Contains(Outbox.LoopHeader)
            || (h[HeaderId.AutoSubmitted] is { } auto && !auto.Trim().Equals("no", StringComparison.OrdinalIgnoreCase))
            || (h["Precedence"] is { } p && p.Trim().ToLowerInvariant() is "bulk" or "junk" or "list")
            || h.Contains("List-Id")
            || from.StartsWith("mailer-daemon@", StringComparison.OrdinalIgnoreCase)
            || from.StartsWith("postmaster@", StringComparison.OrdinalIgnoreCase)
            || from.Equals(_mail.SupportAddress, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The readable text of a mail: its text part, or its HTML with the tags removed.</summary>
    internal static string TextOf(MimeMessage mail) =>
        mail.TextBody ?? (mail.HtmlBody is { } html ? System.Net.WebUtility.HtmlDecode(Tags().Replace(html, " ")) : "");

    private static string Shorten(string? text) => text is null ? "" : text.Length > MaxQuotedText ? text[..MaxQuotedText] + "\n[...]" : text;

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();
}
