using System.Data.Common;

namespace TicketGateway.Tickets.Replies;

/// <summary>
/// What follows from a customer's mail the intake took, in the intake's transaction: a new ticket
/// is acknowledged and the agents are told; a reply to an existing ticket is passed on to the agents.
/// </summary>
public sealed class MailAcknowledgements
{
    private readonly ReplyTemplates _templates;
    private readonly AgentNotifier _agents;
    private readonly CustomerMail _customerMail;

    internal MailAcknowledgements(ReplyTemplates templates, AgentNotifier agents, CustomerMail customerMail)
    {
        _templates = templates;
        _agents = agents;
        _customerMail = customerMail;
    }

    /// <summary>
    /// A new ticket was created from <paramref name="mail"/> in this transaction: acknowledge it with
    /// the template of its kind (unless <paramref name="acknowledge"/> is false because the sender is
    /// rate-limited, or the mail is automated or our own) and notify the agents.
    /// </summary>
    public void OnNewTicketFromMail(DbConnection connection, DbTransaction transaction, Ticket ticket, IncomingMail mail, bool acknowledge = true)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(mail);
        if (!_agents.Enabled)
        {
            return;
        }

        // A mail whose From names no single trusted sender is never acknowledged (the intake holds such mail anyway).
        if (acknowledge && mail.From is not null && !mail.IsAutomated && CustomerMail.AddressOf(ticket) is { } customer)
        {
            var content = _templates.Render(TemplateNames.Acknowledgement(ticket.Kind), ticket.Language, new TemplateData { Ticket = ticket });
            _customerMail.Queue(connection, transaction, ticket, customer, "acknowledgement", content, "mail", automatic: true, countsAsReply: false, answering: mail);
        }

        _agents.Notify(connection, transaction, ticket, "new", mail.From, mail.Text, mail.Attachments);
    }

    /// <summary>A customer's mail was added to an existing ticket in this transaction: notify the agents.</summary>
    public void OnCustomerReply(DbConnection connection, DbTransaction transaction, Ticket ticket, IncomingMail mail)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(mail);
        if (_agents.Enabled)
        {
            _agents.Notify(connection, transaction, ticket, "reply", mail.From, mail.Text, mail.Attachments);
        }
    }
}
