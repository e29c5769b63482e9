using System.Data.Common;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Replies;

/// <summary>Mail to a ticket's customer, threaded into the conversation and stored on the ticket.</summary>
internal sealed class CustomerMail(Outbox outbox)
{
    /// <summary>The customer's address, or null when the ticket has none.</summary>
    public static MailRecipient? AddressOf(Ticket ticket) =>
        ticket.Customer.Email is { } email ? new MailRecipient(MailAddresses.HeaderSafe(ticket.Customer.Name), email) : null;

    /// <summary>Queues a mail to the customer in the caller's transaction, answering <paramref name="answering"/> or else the latest mail from the customer.</summary>
    public void Queue(
        DbConnection connection,
        DbTransaction transaction,
        Ticket ticket,
        MailRecipient customer,
        string purpose,
        RenderedMail content,
        string actor,
        bool automatic,
        bool countsAsReply,
        IncomingMail? answering = null,
        IReadOnlyList<Attachments.NewAttachment>? attachments = null)
    {
        var (inReplyTo, references) = Conversation(connection, transaction, ticket.Id, answering);
        outbox.Queue(connection, transaction, new OutgoingMail
        {
            TicketId = ticket.Id,
            Purpose = purpose,
            To = [customer],
            Content = content,
            Automatic = automatic,
            CountsAsReply = countsAsReply,
            RecordOnTicket = true,
            InReplyTo = inReplyTo,
            References = references,
            Attachments = attachments ?? [],
        }, actor);
    }

    // The conversation's Message-IDs in order (RFC 5322: the answered mail's References, then its
    // Message-ID); the mail answered is the given one, else the latest message from the customer.
    private static (string? InReplyTo, List<string> References) Conversation(DbConnection connection, DbTransaction transaction, long ticketId, IncomingMail? answering)
    {
        var ids = new List<string>(answering?.References ?? []);
        string? lastInbound = null;
        // Prepared once per writer connection: every acknowledgement of the intake runs it.
        using (var r = CommandCache.Get(
            connection, transaction, "SELECT message_id, direction FROM messages WHERE ticket_id = @t AND message_id IS NOT NULL ORDER BY at, id", ("@t", ticketId)).ExecuteReader())
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
}
