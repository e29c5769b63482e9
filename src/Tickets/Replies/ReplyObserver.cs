using System.Data.Common;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Replies;

/// <summary>
/// Queues what follows from ticket changes made anywhere (CLI, gRPC, intake): the resolution and
/// the survey when an email ticket is resolved, the agents' notification when the operator files a complaint.
/// </summary>
/// <remarks>
/// The workflow and the notifier are resolved on first use because they depend on
/// <see cref="TicketService"/>, which itself takes the observers.
/// </remarks>
internal sealed class ReplyObserver(Func<ReplyWorkflow> workflow, Func<AgentNotifier> agents) : ITicketObserver
{
    public void OnCreated(DbConnection connection, DbTransaction transaction, Ticket ticket, string actor)
    {
        if (ticket.Channel == Channel.Operator)
        {
            var notifier = agents();
            if (!notifier.Enabled)
            {
                return;
            }

            var text = CommandCache.Scalar(connection, transaction, "SELECT body_text FROM messages WHERE ticket_id = @t ORDER BY id LIMIT 1", ("@t", ticket.Id)) as string;
            var files = Attachments.AttachmentSql.ForTicket(connection, transaction, ticket.Id)
                .Select(a => new Attachments.AttachmentSummary(a.Name, a.ContentType, a.Size, a.Inline, a.Dropped)).ToList();
            notifier.Notify(connection, transaction, ticket, "operator", ticket.Operator?.OperatorId, text, files);
        }
    }

    public void OnChanged(DbConnection connection, DbTransaction transaction, Ticket before, Ticket after, string actor)
    {
        if (before.Status != TicketStatus.Resolved && after.Status == TicketStatus.Resolved)
        {
            workflow().QueueResolutionAndSurvey(connection, transaction, after, actor);
        }
    }
}
