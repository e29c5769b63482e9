using System.Data.Common;
using TicketGateway.OperatorGateway.Complaints;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.OperatorGateway.Updates;

/// <summary>
/// Turns changes of operator complaints, whoever makes them (an agent on the CLI, the email
/// workflow), into <c>progress</c> and <c>resolved</c> updates, in the transaction of the change;
/// every agent reply becomes a <c>progress</c> update carrying its text.
/// </summary>
internal sealed class OperatorTicketObserver(UpdateQueue queue, ReplyOptions replies, AgentDirectory agents) : ITicketObserver
{
    // The operator's agents read the update to the subscriber; a long answer is cut, the ticket keeps it whole.
    private const int MaxReplyInUpdate = 2000;

    // The exchange queues `accepted` itself, once its own row (and so the sequence counter) exists.
    public void OnCreated(DbConnection connection, DbTransaction transaction, Ticket ticket, TicketOpening opening, string actor)
    {
    }

    public void OnChanged(DbConnection connection, DbTransaction transaction, Ticket before, Ticket after, string actor)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (after.Channel != Channel.Operator || after.Operator is null || Describe(before, after) is not { } what)
        {
            return;
        }

        // A withdrawn complaint gets its one `withdrawn` update from Withdraw and nothing after it.
        if (ComplaintSql.ForTicket(connection, transaction, after.Id) is { WithdrawnAt: null } complaint)
        {
            queue.Queue(connection, transaction, complaint, after, what.Kind, Handler(connection, transaction, actor), what.Detail);
        }
    }

    /// <summary>Every answer of an agent (outbound, written by a person) goes to the operator as a <c>progress</c> update with its text.</summary>
    public void OnMessageAdded(DbConnection connection, DbTransaction transaction, Ticket ticket, TicketMessage message, string actor)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(message);
        if (ticket.Channel != Channel.Operator || ticket.Operator is null || message.Direction != MessageDirection.Outbound || message.Automatic)
        {
            return;
        }

        if (ComplaintSql.ForTicket(connection, transaction, ticket.Id) is { WithdrawnAt: null } complaint)
        {
            var text = message.Text.Trim();
            queue.Queue(connection, transaction, complaint, ticket, UpdateKind.Progress, Handler(connection, transaction, actor),
                "客服答复：" + (text.Length > MaxReplyInUpdate ? text[..MaxReplyInUpdate] + "…" : text));
        }
    }

    /// <summary>
    /// Who handled it, as the operator's agents read it: an agent (by mail, or on the CLI with --as) is
    /// known by name; the desk's own workers and an anonymous CLI user have none, so the desk's name stands for them.
    /// </summary>
    private string Handler(DbConnection connection, DbTransaction transaction, string actor) =>
        agents.FindByLogin(connection, transaction, actor) is { } agent
            ? agent.Name
            : replies.SupportName;

    private static (UpdateKind Kind, string Detail)? Describe(Ticket before, Ticket after) =>
        after.Status == TicketStatus.Resolved && before.Status != TicketStatus.Resolved ? (UpdateKind.Resolved, after.Resolution ?? "")
        : before.Level != after.Level ? (UpdateKind.Progress, $"投诉级别由 {before.Level} 级调整为 {after.Level} 级")
        // The first reply of an operator complaint is its `accepted` update reaching the operator;
        // recording it is no news for the operator.
        : before.FirstReplyAt is null && after.FirstReplyAt is not null ? null
        : before.Status is TicketStatus.Resolved or TicketStatus.Closed && after.Status is TicketStatus.Open or TicketStatus.Pending ? (UpdateKind.Progress, "工单已重新打开，继续处理")
        : before.Status == TicketStatus.New && after.Status is TicketStatus.Open or TicketStatus.Pending ? (UpdateKind.Progress, "客服已开始处理")
        : null;
}
