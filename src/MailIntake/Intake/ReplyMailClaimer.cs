using System.Data.Common;
using TicketGateway.MailIntake.Parsing;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Replies;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.MailIntake.Intake;

/// <summary>
/// Takes out of the normal threading, inside the mail's transaction: (1) agents' mail, that is mail
/// to a signed ticket address (applied, refused or untrusted by <see cref="AgentMailWorkflow.TryHandleAgentMail"/>)
/// and mail from an agent's address naming a ticket without its signed address (untrusted); (2) a
/// customer's survey answer to a resolved email ticket, before anything could reopen it. Robots'
/// mail (an agent's out-of-office reply to a notification) is never taken for an agent's answer.
/// </summary>
internal sealed class ReplyMailClaimer(AgentMailWorkflow agentMail, SurveyAnswers surveys, MailOptions options, TimeProvider time) : IInboundMailClaimer
{
    private readonly MailThreader _threader = new(options.TagPrefix);
    private readonly ReplyAddress? _replyAddress = options.Enabled ? new ReplyAddress(options.SupportAddress!, options.ReplyTokenSecret!) : null;

    public MailClaim? Claim(DbConnection connection, DbTransaction transaction, InboundMail mail)
    {
        if (_replyAddress is null || mail.Incoming is not { } incoming || mail.Classification.IsAutomated)
        {
            return null;
        }

        var outcome = agentMail.TryHandleAgentMail(connection, transaction, incoming, out var filesSent);
        if (outcome != AgentMailOutcome.NotAgentMail)
        {
            var ticketId = SignedTicket(connection, transaction, incoming);
            var rule = $"agent mail by signed address: {Names.Of(outcome)}" + (filesSent ? $", {incoming.Files.Count} file(s) sent with the answer" : "");
            Record(connection, transaction, ticketId, mail, rule);
            return new MailClaim(ticketId, null, rule) { FilesStored = filesSent };
        }

        var match = _threader.Find(connection, transaction, mail);
        if ((match.TicketId ?? match.StrangerTag) is { } named
            && TicketSql.Find(connection, transaction, named) is { } claimed
            && agentMail.TryHandleUnsignedAgentMail(connection, transaction, claimed, incoming))
        {
            var rule = "untrusted agent mail: no signed reply address";
            Record(connection, transaction, named, mail, rule);
            return new MailClaim(named, null, rule);
        }

        if (match.TicketId is { } id
            && TicketSql.Find(connection, transaction, id) is { Channel: Channel.Email, Status: TicketStatus.Resolved or TicketStatus.Closed } ticket
            && surveys.TryHandleSurveyAnswer(connection, transaction, ticket, incoming))
        {
            var rule = $"survey answer ({match.Rule})";
            Record(connection, transaction, id, mail, rule);
            return new MailClaim(id, IntakeSql.LastMessageId(connection, transaction, id), rule);
        }

        return null;
    }

    private long? SignedTicket(DbConnection connection, DbTransaction transaction, IncomingMail mail)
    {
        foreach (var address in mail.Recipients)
        {
            if (_replyAddress!.TryRead(address, out var id, out _) && TicketSql.Find(connection, transaction, id) is not null)
            {
                return id;
            }
        }

        return null;
    }

    private void Record(DbConnection connection, DbTransaction transaction, long? ticketId, InboundMail mail, string rule)
    {
        if (ticketId is { } id)
        {
            TicketSql.AppendHistory(connection, transaction, id, time.GetUtcNow(), MailProcessor.Actor, "mail",
                $"mail{(mail.MessageId is { } m ? $" <{m}>" : "")} from {mail.FromAddress}: {rule}");
        }
    }
}
