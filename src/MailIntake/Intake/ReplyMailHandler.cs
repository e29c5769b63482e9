using System.Data.Common;
using TicketGateway.Tickets.Replies;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.MailIntake.Intake;

/// <summary>
/// The reply side of each mail the intake took, in its transaction: a new ticket is acknowledged
/// (only when <see cref="Parsing.MailClassification.MayAutoReply"/>) and the agents notified; a
/// customer's reply notifies the agents; a bounce of our mail marks that outbox mail undelivered
/// through <see cref="Outbox.RecordBounce"/> (history line and duty alert), the one record of it.
/// </summary>
internal sealed class ReplyMailHandler(MailAcknowledgements acknowledgements, Outbox outbox) : IInboundMailHandler
{
    private const string ReturnedByServer = "returned by the receiving server";

    public void OnMailProcessed(DbConnection connection, DbTransaction transaction, ProcessedMail mail)
    {
        if (!outbox.Enabled || mail.Mail is not { Incoming: { } incoming } inbound)
        {
            return;
        }

        switch (mail.Outcome)
        {
            case MailOutcome.Created or MailOutcome.Repeat when mail.TicketId is { } id:
                acknowledgements.OnNewTicketFromMail(connection, transaction, TicketSql.Find(connection, transaction, id)!, incoming, mail.Classification.MayAutoReply);
                break;
            case MailOutcome.Threaded or MailOutcome.Reopened when mail.TicketId is { } id:
                acknowledgements.OnCustomerReply(connection, transaction, TicketSql.Find(connection, transaction, id)!, incoming);
                break;
            case MailOutcome.Bounce:
                foreach (var bounced in inbound.BouncedMessageIds)
                {
                    outbox.Delivery.RecordBounce(connection, transaction, bounced, inbound.BounceDetail ?? ReturnedByServer);
                }

                break;
        }
    }
}
