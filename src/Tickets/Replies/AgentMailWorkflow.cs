using System.Globalization;
using System.Data.Common;
using Microsoft.Extensions.Logging;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Replies;

/// <summary>
/// Agents answering by email, in the intake's transaction: commands and answers from mail to a
/// ticket's signed reply address, and mail that only claims to be an agent's.
/// </summary>
public sealed class AgentMailWorkflow
{
    private readonly TicketService _tickets;
    private readonly ReplyWorkflow _replies;
    private readonly Outbox _outbox;
    private readonly ReplyTemplates _templates;
    private readonly AgentDirectory _directory;
    private readonly AgentNotifier _agents;
    private readonly TimeProvider _time;
    private readonly ILogger<AgentMailWorkflow> _logger;

    internal AgentMailWorkflow(TicketService tickets, ReplyWorkflow replies, Outbox outbox, ReplyTemplates templates, AgentDirectory directory, AgentNotifier agents, TimeProvider time, ILogger<AgentMailWorkflow> logger)
    {
        _tickets = tickets;
        _replies = replies;
        _outbox = outbox;
        _templates = templates;
        _directory = directory;
        _agents = agents;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Handles a mail addressed to a signed ticket address (<c>support+TG-000123.token@...</c> in To or
    /// Cc). It is an agent's only when it comes from an active agent's address AND the token is
    /// valid: then its commands are applied and its text, stripped of quotes and signature, is sent
    /// to the customer in the agent-reply template. Otherwise it is untrusted: recorded on the ticket
    /// as a note, the agents are warned, nothing goes to the customer. A mail without a signed
    /// address is <see cref="AgentMailOutcome.NotAgentMail"/> and left to the intake.
    /// <paramref name="filesSent"/> tells whether the mail's <see cref="IncomingMail.Files"/> went to the
    /// customer with the agent's answer (stored with that answer), so the intake does not store them a second time.
    /// </summary>
    public AgentMailOutcome TryHandleAgentMail(DbConnection connection, DbTransaction transaction, IncomingMail mail, out bool filesSent)
    {
        ArgumentNullException.ThrowIfNull(mail);
        filesSent = false;
        if (_agents.ReplyAddress is not { } replyAddress)
        {
            return AgentMailOutcome.NotAgentMail;
        }

        long ticketId = 0;
        var tokenValid = false;
        var claimed = false;
        foreach (var address in mail.Recipients)
        {
            if (replyAddress.TryRead(address, out var id, out var valid))
            {
                claimed = true;
                ticketId = id;
                tokenValid = valid;
                if (valid)
                {
                    break;
                }
            }
        }

        if (!claimed)
        {
            return AgentMailOutcome.NotAgentMail;
        }

        var from = mail.From;
        var agent = _directory.Find(connection, transaction, from);
        // The signed address of a merged ticket (an old notification) works on the ticket it went into.
        var ticket = TicketSql.Find(connection, transaction, TicketService.MergeTarget(connection, transaction, ticketId) ?? ticketId);
        if (ticket is null || agent is null || !tokenValid)
        {
            var reason = ticket is null ? $"it names {TicketReference.Format(ticketId)}, which does not exist"
                : !tokenValid ? "the reply address does not carry a valid token"
                : $"the sender {from} is not a configured agent";
            Untrusted(connection, transaction, ticket, from, mail, reason);
            return AgentMailOutcome.Untrusted;
        }

        var parsed = AgentMailParser.Parse(mail.Text, _templates.DeskLanguage);
        // History records the agent by login (the account's, or the one its Agents:N entry is imported as).
        var actor = agent.Login ?? agent.Email;
        if (parsed.Errors.Count > 0)
        {
            AnswerAgent(connection, transaction, ticket, agent, string.Join(" ", parsed.Errors));
            return AgentMailOutcome.Refused;
        }

        // The commands and the reply are one unit: if any part is refused, none is applied.
        // Writes held back before the savepoint go before it; those after it are dropped with a rollback.
        CommandCache.SendDeferred(connection, transaction);
        transaction.Save("agent");
        try
        {
            filesSent = Apply(connection, transaction, ticket, agent, parsed, actor, mail.Files);
            transaction.Release("agent");
            return AgentMailOutcome.Applied;
        }
        catch (TicketException ex)
        {
            CommandCache.DiscardDeferred(connection);
            transaction.Rollback("agent");
            transaction.Release("agent");
            AnswerAgent(connection, transaction, ticket, agent, ex.Message);
            return AgentMailOutcome.Refused;
        }
    }

    /// <summary>
    /// A mail from a configured agent's address that names <paramref name="ticket"/> (tag, In-Reply-To)
    /// but is not addressed to its signed reply address claims to be an agent's without proof: it is
    /// recorded on the ticket, the agents are warned, nothing goes to the customer. Returns false (and
    /// does nothing) when the sender is not a configured agent.
    /// </summary>
    public bool TryHandleUnsignedAgentMail(DbConnection connection, DbTransaction transaction, Ticket ticket, IncomingMail mail)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(mail);
        var from = mail.From;
        if (!_agents.Enabled || _directory.Find(connection, transaction, from) is null)
        {
            return false;
        }

        Untrusted(connection, transaction, ticket, from, mail, "it comes from an agent's address but is not addressed to the ticket's signed reply address");
        return true;
    }

    // Returns true when the files went with an answer to the customer.
    private bool Apply(DbConnection connection, DbTransaction transaction, Ticket ticket, AgentOptions agent, AgentMail parsed, string actor, IReadOnlyList<Attachments.NewAttachment> files)
    {
        var filesSent = false;
        if (parsed.Argument(AgentCommandKind.Kind) is { } kindName)
        {
            var kind = Names.Parse<TicketKind>(kindName);
            _tickets.Change(connection, transaction, ticket.Id, actor, (t, history) =>
            {
                if (t.Kind == kind)
                {
                    return t;
                }

                int? level = kind == TicketKind.Complaint ? t.Level ?? 1 : null;
                var due = level is { } l ? _tickets.Deadlines.ResolveDue(t.AcceptedAt, l).DueAt : (DateTimeOffset?)null;
                history("kind", $"kind {Names.Of(t.Kind)} -> {Names.Of(kind)}");
                return t with { Kind = kind, Level = level, ResolveDueAt = due };
            });
        }

        if (parsed.Argument(AgentCommandKind.Level) is { } levelText)
        {
            var level = int.Parse(levelText, CultureInfo.InvariantCulture);
            _tickets.Change(connection, transaction, ticket.Id, actor, (t, history) =>
            {
                if (t.Kind != TicketKind.Complaint)
                {
                    throw new TicketException(TicketError.Conflict, _templates.DeskLanguage == "en"
                        ? $"{t.Ref} is not a complaint (its kind is {Names.Of(t.Kind)}); only complaints have a level."
                        : $"{t.Ref} 不是投诉（类型为 {Names.Of(t.Kind)}），只有投诉才有等级。");
                }

                if (t.Level == level)
                {
                    return t;
                }

                var due = _tickets.Deadlines.ResolveDue(t.AcceptedAt, level).DueAt;
                history("level", $"level {t.Level} -> {level}; resolveDueAt {_tickets.Local(t.ResolveDueAt)} -> {_tickets.Local(due)}");
                return t with { Level = level, ResolveDueAt = due };
            });
        }

        if (parsed.Has(AgentCommandKind.Note))
        {
            if (parsed.Text.Length > 0)
            {
                _tickets.AddMessage(connection, transaction, ticket.Id, new TicketMessage(
                    0, MessageDirection.Note, _time.GetUtcNow(), agent.Email, null, null, parsed.Text, null, Automatic: false), actor, "agent note by email");
            }
        }
        else if (parsed.Text.Length > 0 || parsed.Argument(AgentCommandKind.Template) is not null || parsed.Has(AgentCommandKind.Resolve))
        {
            // The agent's files go on to the customer with the answer, as `reply --attach` sends them (a
            // resolution without text or template sends no answer of its own: the files stay on the ticket).
            var template = parsed.Argument(AgentCommandKind.Template);
            var text = template is null ? parsed.Text : null;
            filesSent = files.Count > 0 && (!string.IsNullOrWhiteSpace(text) || template is not null);
            _replies.Reply(connection, transaction, ticket.Id, text, template, parsed.Has(AgentCommandKind.Resolve), actor, agent.Name, filesSent ? files : null);
        }

        if (parsed.Has(AgentCommandKind.Note) && parsed.Has(AgentCommandKind.Resolve))
        {
            _replies.Reply(connection, transaction, ticket.Id, null, null, resolve: true, actor, agent.Name);
        }

        if (parsed.Has(AgentCommandKind.Close))
        {
            // As `tickets status REF closed`: after a reply or a resolution in the same mail, if any.
            _tickets.Change(connection, transaction, ticket.Id, actor, (t, history) =>
            {
                if (t.Status == TicketStatus.Closed)
                {
                    return t;
                }

                history("status", $"status {Names.Of(t.Status)} -> closed");
                return t with { Status = TicketStatus.Closed };
            });
        }
        else if (parsed.Has(AgentCommandKind.Pending) && !parsed.Has(AgentCommandKind.Resolve))
        {
            _tickets.Change(connection, transaction, ticket.Id, actor, (t, history) =>
            {
                if (t.Status == TicketStatus.Pending)
                {
                    return t;
                }

                var reopening = t.Status is TicketStatus.Resolved or TicketStatus.Closed;
                history(reopening ? "reopened" : "status", $"status {Names.Of(t.Status)} -> pending");
                return reopening ? t with { Status = TicketStatus.Pending, ResolvedAt = null } : t with { Status = TicketStatus.Pending };
            });
        }

        return filesSent;
    }

    private void AnswerAgent(DbConnection connection, DbTransaction transaction, Ticket ticket, AgentOptions agent, string error)
    {
        Log.AgentMailRefused(_logger, ticket.Ref, agent.Email, error);
        _outbox.Queue(connection, transaction, new OutgoingMail
        {
            TicketId = ticket.Id,
            Purpose = TemplateNames.AgentHelp,
            To = [new MailRecipient(agent.Name, agent.Email)],
            Content = _templates.Render(TemplateNames.AgentHelp, _templates.DeskLanguage, new TemplateData { Ticket = ticket, AgentName = agent.Name, Error = error }),
            Automatic = true,
            ReplyTo = _agents.SignedAddress(ticket.Id),
        }, "mail");
    }

    private void Untrusted(DbConnection connection, DbTransaction transaction, Ticket? ticket, string? from, IncomingMail mail, string reason)
    {
        Log.UntrustedAgentMail(_logger, ticket?.Ref ?? "-", from ?? "-", reason);
        if (ticket is null)
        {
            return;
        }

        var text = mail.Text;
        _tickets.AddMessage(connection, transaction, ticket.Id, new TicketMessage(
            0, MessageDirection.Note, _time.GetUtcNow(), from, null, MailAddresses.HeaderSafe(mail.Subject),
            $"Unverified mail claiming to be an agent's ({reason}); nothing was sent to the customer.\n\n{AgentNotifier.Shorten(text)}", mail.MessageId, Automatic: false),
            "mail", "untrusted agent mail");
        if (_agents.Recipients(connection, transaction) is { Count: > 0 } recipients)
        {
            _outbox.Queue(connection, transaction, new OutgoingMail
            {
                TicketId = ticket.Id,
                Purpose = TemplateNames.AgentWarning,
                To = recipients,
                Content = _templates.Render(TemplateNames.AgentWarning, _templates.DeskLanguage, new TemplateData { Ticket = ticket, MessageFrom = from, MessageText = AgentNotifier.Shorten(text), Error = reason }),
                Automatic = true,
            }, "mail");
        }
    }
}
