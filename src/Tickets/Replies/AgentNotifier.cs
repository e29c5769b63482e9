using System.Data.Common;

namespace TicketGateway.Tickets.Replies;

/// <summary>
/// Who the agents are on email and how they are told about a ticket: the recipients
/// (<c>Mail:AgentsAddress</c>, or every configured agent) and the ticket's signed reply address.
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

    /// <summary>True when <c>Mail:SupportAddress</c> is set; otherwise nothing is ever queued.</summary>
    public bool Enabled => ReplyAddress is not null;

    /// <summary>The signed reply address of a ticket (<c>support+TG-000123.token@domain</c>).</summary>
    public string SignedAddress(long ticketId) => (ReplyAddress ?? throw new InvalidOperationException("Mail:SupportAddress is not set.")).For(ticketId);

    /// <summary>Mail:AgentsAddress, or every configured agent.</summary>
    public List<MailRecipient> Recipients() =>
        _mail.AgentsAddress is { Length: > 0 } shared
            ? [new MailRecipient(null, shared.Trim())]
            : [.. _agents.All.Select(a => new MailRecipient(a.Name, a.Email))];

    /// <summary>Tells the agents about a ticket, with the signed reply address and the files of the message (name, type, size).</summary>
    public void Notify(DbConnection connection, DbTransaction transaction, Ticket ticket, string what, string? from, string? text, IReadOnlyList<Attachments.AttachmentSummary>? files = null)
    {
        if (!Enabled || Recipients() is not { Count: > 0 } recipients)
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
