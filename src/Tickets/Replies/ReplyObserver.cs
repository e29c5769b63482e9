using System.Data.Common;

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
    public void OnCreated(DbConnection connection, DbTransaction transaction, Ticket ticket, TicketOpening opening, string actor)
    {
        if (ticket.Channel == Channel.Operator)
        {
            var notifier = agents();
            if (!notifier.Enabled)
            {
                return;
            }

            // The complaint's text and files as the ticket stored them, without reading them back (two statements per complaint).
            ArgumentNullException.ThrowIfNull(opening);
            notifier.Notify(connection, transaction, ticket, "operator", ticket.Operator?.OperatorId, opening.Text, opening.Files);
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
