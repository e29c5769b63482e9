using System.Collections.Concurrent;
using System.Data.Common;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Replies;

/// <summary>
/// Answers and resolutions for the customer: an agent's reply (by mail or the CLI) and, when a
/// ticket is resolved anywhere, the resolution mail and the survey. Every method works inside the
/// caller's transaction, so what it queues is committed together with the change that causes it,
/// or not at all. Mail coming in is handled by <see cref="MailAcknowledgements"/>,
/// <see cref="AgentMailWorkflow"/> and <see cref="SurveyAnswers"/>.
/// </summary>
public sealed class ReplyWorkflow
{
    private readonly TicketService _tickets;
    private readonly ReplyTemplates _templates;
    private readonly AgentNotifier _agents;
    private readonly CustomerMail _customerMail;
    private readonly TimeProvider _time;

    // What the resolution mail of a ticket Reply resolves shows, by the transaction resolving it: the
    // resolution observer, which the change calls inside that transaction, reads it from there.
    private readonly ConcurrentDictionary<DbTransaction, (long TicketId, ResolutionMail Mail)> _resolving = new();

    internal ReplyWorkflow(TicketService tickets, ReplyTemplates templates, AgentNotifier agents, CustomerMail customerMail, TimeProvider time)
    {
        _tickets = tickets;
        _templates = templates;
        _agents = agents;
        _customerMail = customerMail;
        _time = time;
    }

    private enum ResolutionMail
    {
        Full,
        WithoutText,
        None,
    }

    /// <summary>True when <c>Mail:SupportAddress</c> is set; otherwise nothing is ever queued.</summary>
    public bool Enabled => _agents.Enabled;

    /// <summary>The signed reply address of a ticket (<c>support+TG-000123.token@domain</c>).</summary>
    public string SignedAddress(long ticketId) => _agents.SignedAddress(ticketId);

    /// <summary>
    /// Answers the customer of a ticket, with free text or a named template, and optionally resolves
    /// the ticket (the survey follows, queued by the resolution). Used by agents' mail and the CLI.
    /// </summary>
    /// <param name="attachments">Files the mail carries (an email reply only), stored with the ticket's outbound message.</param>
    /// <exception cref="TicketException">No such ticket, no customer address, unknown template, the ticket is already resolved, or files where no mail goes or over <c>Mail:Outbound:MaxAttachmentBytes</c>.</exception>
    public Ticket Reply(DbConnection connection, DbTransaction transaction, long ticketId, string? text, string? template, bool resolve, string actor, string? agentName = null, IReadOnlyList<Attachments.NewAttachment>? attachments = null)
    {
        attachments ??= [];
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

        // An agent answering a ticket nobody owns becomes its owner (the rollback of a refused reply undoes it).
        Agents.TicketOwnership.ClaimOnReply(_tickets, connection, transaction, ticket.Id, actor);
        var resolution = text ?? (template is not null ? $"answered with template {template}" : $"resolved by {agentName ?? actor}");
        if (attachments.Count > 0 && (text is null && template is null || ticket.Channel == Channel.Operator && CustomerMail.AddressOf(ticket) is null))
        {
            throw new TicketException(TicketError.Invalid, text is null && template is null
                ? "Files go with a reply; give a text or a template."
                : $"{ticket.Ref} is answered to the operator, whose progress updates carry no files.");
        }

        if (attachments.Sum(a => a.Size) is var total && total > _agents.MaxAttachmentBytes)
        {
            throw new TicketException(TicketError.Invalid, $"The files are {total} bytes together; a mail may carry at most {_agents.MaxAttachmentBytes} (Mail:Outbound:MaxAttachmentBytes).");
        }

        if ((text is not null || template is not null) && ticket.Channel == Channel.Operator && CustomerMail.AddressOf(ticket) is null)
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

            var customer = CustomerMail.AddressOf(ticket) ?? throw new TicketException(TicketError.Conflict, $"{ticket.Ref} has no customer email address to answer.");
            if (resolve && template is null && attachments.Count == 0)
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
            _customerMail.Queue(connection, transaction, ticket, customer, template is null ? "agent-reply" : "template:" + template, content, actor, automatic: false, countsAsReply: true, attachments: attachments);
            if (resolve)
            {
                // The canned answer (or the answer carrying the files) is the outcome the customer reads; a second mail would repeat it.
                return Resolve(connection, transaction, ticket, resolution, actor, ResolutionMail.None);
            }
        }

        // Resolved without a text of the agent's: "resolved by ..." is for the history, not the customer.
        return resolve
            ? Resolve(connection, transaction, ticket, resolution, actor, text is null ? ResolutionMail.WithoutText : ResolutionMail.Full)
            : TicketSql.Find(connection, transaction, ticket.Id)!;
    }

    private Ticket Resolve(DbConnection connection, DbTransaction transaction, Ticket ticket, string resolution, string actor, ResolutionMail mail)
    {
        _resolving[transaction] = (ticket.Id, mail);
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
            _resolving.TryRemove(transaction, out _);
        }
    }

    /// <summary>
    /// A ticket was resolved in <paramref name="transaction"/> (CLI, gRPC, agent mail; called by the
    /// resolution observer): tells an email customer the outcome with the <see cref="TemplateNames.Resolution"/>
    /// template, then asks for the survey, both threaded into the conversation and in the customer's language.
    /// </summary>
    internal void QueueResolutionAndSurvey(DbConnection connection, DbTransaction transaction, Ticket ticket, string actor)
    {
        if (!Enabled || ticket.Channel != Channel.Email || CustomerMail.AddressOf(ticket) is not { } customer)
        {
            return;
        }

        var mail = _resolving.TryGetValue(transaction, out var resolving) && resolving.TicketId == ticket.Id ? resolving.Mail : ResolutionMail.Full;
        if (mail != ResolutionMail.None)
        {
            var shown = mail == ResolutionMail.WithoutText ? ticket with { Resolution = null } : ticket;
            var resolution = _templates.Render(TemplateNames.Resolution, ticket.Language, new TemplateData { Ticket = shown });
            _customerMail.Queue(connection, transaction, ticket, customer, TemplateNames.Resolution, resolution, actor, automatic: false, countsAsReply: true);
        }

        // The survey is the gateway's own; an answer or the resolution is the desk's.
        var survey = _templates.Render(TemplateNames.Survey, ticket.Language, new TemplateData { Ticket = ticket });
        _customerMail.Queue(connection, transaction, ticket, customer, TemplateNames.Survey, survey, actor, automatic: true, countsAsReply: false);
    }
}
