using System.Data.Common;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Replies;

/// <summary>
/// Who the agents are on email and how they are told about a ticket: the recipients (the ticket's
/// owner, else <c>Mail:AgentsAddress</c> or every active agent) and the ticket's signed reply address.
/// Shared by every part of the reply side.
/// </summary>
internal sealed class AgentNotifier
{
    private const int MaxQuotedText = 20_000;
    private readonly Outbox _outbox;
    private readonly ReplyTemplates _templates;
    private readonly MailOptions _mail;
    private readonly AgentDirectory _agents;

    public AgentNotifier(Outbox outbox, ReplyTemplates templates, MailOptions mail, AgentDirectory agents)
    {
        _outbox = outbox;
        _templates = templates;
        _mail = mail;
        _agents = agents;
        ReplyAddress = mail.Enabled ? new ReplyAddress(mail.SupportAddress!, mail.ReplyTokenSecret!) : null;
    }

    /// <summary>The signer of reply addresses; null when <c>Mail:SupportAddress</c> is not set.</summary>
    public ReplyAddress? ReplyAddress { get; }

    /// <summary>The most bytes of files one outgoing mail carries (<c>Mail:Outbound:MaxAttachmentBytes</c>).</summary>
    public long MaxAttachmentBytes => _mail.Outbound.MaxAttachmentBytes;

    /// <summary>True when <c>Mail:SupportAddress</c> is set; otherwise nothing is ever queued.</summary>
    public bool Enabled => ReplyAddress is not null;

    /// <summary>The signed reply address of a ticket (<c>support+TG-000123.token@domain</c>).</summary>
    public string SignedAddress(long ticketId) => (ReplyAddress ?? throw new InvalidOperationException("Mail:SupportAddress is not set.")).For(ticketId);

    /// <summary>Mail:AgentsAddress, or every active agent.</summary>
    public List<MailRecipient> Recipients(DbConnection connection, DbTransaction transaction) => Everyone(() => _agents.Active(connection, transaction));

    // Mail:AgentsAddress, or every active agent (read only when there is no shared address).
    private List<MailRecipient> Everyone(Func<IReadOnlyList<AgentOptions>> active) =>
        _mail.AgentsAddress is { Length: > 0 } shared
            ? [new MailRecipient(null, shared.Trim())]
            : [.. active().Select(a => new MailRecipient(a.Name, a.Email))];

    /// <summary>
    /// Who hears about a ticket: its owner alone when it has one who is an active agent (read from the
    /// store, so an owner set earlier in the same transaction counts), else <see cref="Recipients"/>.
    /// </summary>
    public List<MailRecipient> RecipientsFor(DbConnection connection, DbTransaction transaction, long ticketId)
    {
        // On the writer's path (every new ticket and customer reply): the owner and the accounts in one
        // prepared statement, one round trip to PostgreSQL where there were two or three.
        if (Agents.AgentAccounts.OwnerAndAccounts(connection, transaction, ticketId) is not var (owner, accounts))
        {
            return Recipients(connection, transaction);
        }

        if (owner is not null && accounts.FirstOrDefault(a => string.Equals(a.Login, owner.Trim(), StringComparison.OrdinalIgnoreCase)) is { Active: true } agent)
        {
            return [new MailRecipient(agent.Name, agent.Email)];
        }

        return Everyone(() => _agents.Active(accounts));
    }

    /// <summary>Tells the agents about a ticket, with the signed reply address and the files of the message (name, type, size).</summary>
    public void Notify(DbConnection connection, DbTransaction transaction, Ticket ticket, string what, string? from, string? text, IReadOnlyList<Attachments.AttachmentSummary>? files = null)
    {
        if (!Enabled || RecipientsFor(connection, transaction, ticket.Id) is not { Count: > 0 } recipients)
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
            MessageAttachments = files ?? [],
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

    /// <summary>A customer's text as quoted to the agents: at most 20,000 characters.</summary>
    public static string Shorten(string? text) => text is null ? "" : text.Length > MaxQuotedText ? text[..MaxQuotedText] + "\n[...]" : text;
}
