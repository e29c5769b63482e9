using System.Data.Common;
using TicketGateway.OperatorGateway.Updates;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Attachments;
using TicketGateway.Tickets.Duty;
using TicketGateway.Tickets.Sla;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Complaints;

/// <summary>
/// What the operator can do with its complaints. Every operation is one transaction: the ticket
/// change, its history, the exchange's rows and the queued update commit together, and the caller
/// is answered only after that commit. An operator only ever finds its own complaints.
/// </summary>
internal sealed class ComplaintDesk(TicketService tickets, UpdateQueue updates, AlertStore alerts, OutboxSignal signal, TimeProvider time, ILogger<ComplaintDesk> logger)
{
    private const string Gateway = "ticketgw";

    // Bounded: a store that stays away answers UNAVAILABLE after these; so does an order_id another node holds
    // for longer than about InFlightAttempts * 15 ms (a node stuck mid-batch).
    private const int UnavailableAttempts = 3;
    private const int InFlightAttempts = 400;

    public async Task<ComplaintReceiptView> SubmitAsync(string operatorId, ComplaintSubmission s, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(s);
        var actor = Actor(operatorId);
        // Validation and deadline arithmetic run here, on the caller's thread, not on the single writer.
        var prepared = tickets.Prepare(new NewTicket(
            Channel.Operator, TicketKind.Complaint, new Customer(null, null, s.Msisdn), s.Title, s.Content, s.Level == 0 ? DefaultLevel(s.Category) : s.Level))
            with { Operator = new OperatorReference(operatorId, s.OrderId) };
        (ComplaintReceiptView Receipt, bool Created) Submit(DbConnection c, DbTransaction tx)
        {
            // Nodes that get the same order_id at once: one takes it, the others try again once it committed,
            // rather than waiting on its uncommitted row while their own batches hold what its batch waits for.
            if (!tickets.Database.Dialect.TryLockUntilCommit(c, tx, $"operator complaint\n{operatorId}\n{s.OrderId}"))
            {
                throw new OrderInFlightException();
            }

            if (ComplaintSql.Find(c, tx, operatorId, s.OrderId) is { } existing)
            {
                return existing.RequestHash == s.RequestHash
                    ? (Receipt(existing, TicketSql.Find(c, tx, existing.TicketId)!), false)
                    : throw new ComplaintException(ComplaintError.Conflict, $"order_id '{s.OrderId}' was already used for a complaint with different content; a new complaint needs a new order_id.");
            }

            var now = time.GetUtcNow();
            var ticket = tickets.Insert(c, tx, prepared, s.Content, actor, from: s.Msisdn,
                files: [.. s.Attachments.Select(a => NewAttachment.Of(a.Name, a.ContentType, a.Content))]);
            var complaint = new OperatorComplaint(
                ticket.Id, operatorId, s.OrderId, s.RequestHash, s.Category, s.ServiceCode, s.Msisdn, s.ReceivedAt, s.ReplyBy,
                s.Repeat, ticket.Level ?? 1, default, LastSequence: 1, null, null);
            complaint = complaint with { ReceiptDueAt = complaint.DueAt(ticket.ResolveDueAt) ?? ticket.ReplyDueAt };
            ComplaintSql.Insert(c, tx, complaint, now);
            if (s.ReplyBy is { } replyBy)
            {
                // The alerts watch the operator's reply_by when it is earlier than the level's deadline.
                RequestedDeadlines.Set(c, tx, ticket.Id, replyBy, "operator reply_by");
            }

            if (s.Repeat)
            {
                ticket = MarkRepeat(c, tx, ticket, s.Msisdn, actor, now);
            }

            // Inserted with last sequence 1: the acceptance is update 1.
            updates.QueueFirst(c, tx, complaint, ticket, UpdateKind.Accepted, Gateway);
            return (Receipt(complaint, ticket), true);
        }

        (ComplaintReceiptView receipt, bool created) result;
        var dialect = tickets.Database.Dialect;
        var (inFlight, unique, unavailable) = (0, 0, 0);
        while (true)
        {
            try
            {
                result = await tickets.Database.WriteAsync(Submit, cancellationToken);
                break;
            }
            catch (OrderInFlightException) when (++inFlight < InFlightAttempts)
            {
                // Another node is accepting the same order_id now; its batch commits within milliseconds, and the
                // next attempt answers as for a repeated call (same content) or refuses it.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25)), cancellationToken);
            }
            catch (Exception ex) when ((dialect.IsUniqueViolation(ex) && ++unique < 2) || (dialect.IsUnavailable(ex) && ++unavailable < UnavailableAttempts))
            {
                // A unique violation: a node that does not take the order's lock (an older version during an
                // upgrade) inserted the same order_id; it committed, so the next attempt finds the row. Or the
                // connection dropped, or a deadlock with another node on other rows: the next attempt, in a new
                // batch, settles it; a row that did commit is found by order_id, so the answer is still the first receipt.
                Log.SubmitRetried(logger, operatorId, s.OrderId, inFlight + unique + unavailable + 1, dialect.IsUniqueViolation(ex) ? "another node inserted the same order_id" : ex.Message);
            }
        }

        var (receipt, created) = result;
        if (created)
        {
            signal.Notify();
            Log.ComplaintAccepted(logger, operatorId, s.OrderId, s.Msisdn, receipt.TicketRef, receipt.Level);
        }

        return receipt;
    }

    /// <summary>The store's dialect, which tells an outage (retry) from a refusal for good.</summary>
    public Tickets.Storage.SqlDialect StoreDialect => tickets.Database.Dialect;

    public ComplaintView Get(string operatorId, string orderId) => tickets.Database.Read(c => View(c, null, operatorId, orderId));

    public Task<ComplaintView> AddSupplementAsync(string operatorId, string orderId, string content, IReadOnlyList<ComplaintAttachment> attachments, CancellationToken cancellationToken) =>
        ChangeAsync(operatorId, orderId, (c, tx, complaint, ticket, now) =>
        {
            RefuseIfWithdrawn(complaint, "add a supplement to");
            var message = new TicketMessage(0, MessageDirection.Inbound, now, complaint.Msisdn, null, "补充材料 / supplement", content, null, Automatic: false);
            var messageId = tickets.AddMessage(c, tx, ticket.Id, message, Actor(operatorId), $"operator supplement, {attachments.Count} attachment(s)");
            ComplaintSql.InsertAttachments(c, tx, ticket.Id, messageId, attachments);
        }, cancellationToken);

    public Task<ComplaintView> UrgeAsync(string operatorId, string orderId, string reason, CancellationToken cancellationToken) =>
        ChangeAsync(operatorId, orderId, (c, tx, complaint, ticket, now) =>
        {
            RefuseIfWithdrawn(complaint, "urge");
            TicketSql.AppendHistory(c, tx, ticket.Id, now, Actor(operatorId), "urged", reason.Length > 0 ? reason : "the operator presses for speed");
            // Alerted at once: the alert (and its mail) commit with the urge, and the alert worker is woken.
            var id = alerts.Urge(c, tx, ticket.Id, $"order {orderId}, status {Names.Of(ticket.Status)}" + (reason.Length > 0 ? $": {reason}" : ""), Actor(operatorId));
            Log.OperatorAlert(logger, AlertKinds.Urge, operatorId, ticket.Ref, $"alert {id}: the operator urges order {orderId}");
        }, cancellationToken);

    public async Task<ComplaintView> WithdrawAsync(string operatorId, string orderId, string reason, CancellationToken cancellationToken)
    {
        var view = await ChangeAsync(operatorId, orderId, (c, tx, complaint, ticket, now) =>
        {
            if (complaint.WithdrawnAt is not null)
            {
                return; // Withdrawing twice is the same withdrawal.
            }

            if (ticket.Status is TicketStatus.Resolved or TicketStatus.Closed)
            {
                throw new ComplaintException(ComplaintError.State, $"Complaint '{orderId}' is already {Names.Of(ticket.Status)}; it can no longer be withdrawn.");
            }

            // Marked first, so the observer sees a withdrawn complaint and queues no `progress` for the close.
            ComplaintSql.MarkWithdrawn(c, tx, ticket.Id, now);
            var closed = tickets.Change(c, tx, ticket.Id, Actor(operatorId), (t, history) =>
            {
                history("withdrawn", $"the subscriber withdrew the complaint; status {Names.Of(t.Status)} -> closed" + (reason.Length > 0 ? $": {reason}" : ""));
                return t with { Status = TicketStatus.Closed };
            });
            updates.Queue(c, tx, complaint, closed, UpdateKind.Withdrawn, Gateway, reason);
        }, cancellationToken);
        signal.Notify();
        return view;
    }

    public Task<ComplaintView> ReportSatisfactionAsync(string operatorId, string orderId, Satisfaction satisfaction, string comment, CancellationToken cancellationToken) =>
        ChangeAsync(operatorId, orderId, (c, tx, complaint, ticket, now) =>
        {
            RefuseIfWithdrawn(complaint, "report satisfaction for");
            if (ticket.Status is not (TicketStatus.Resolved or TicketStatus.Closed))
            {
                throw new ComplaintException(ComplaintError.State, $"Complaint '{orderId}' is {Names.Of(ticket.Status)}; satisfaction is reported after it is resolved.");
            }

            tickets.Change(c, tx, ticket.Id, Actor(operatorId), (t, history) =>
            {
                history("satisfaction", $"operator follow-up call: {Names.Of(satisfaction)} (was {Names.Of(t.Satisfaction)})" + (comment.Length > 0 ? $": {comment}" : ""));
                return t with { Satisfaction = satisfaction };
            });
        }, cancellationToken);

    /// <summary>The level when the operator leaves it to the gateway: service and content problems need two departments.</summary>
    public static int DefaultLevel(string category) => category is "service_quality" or "content" ? 2 : 1;

    private static string Actor(string operatorId) => "operator:" + operatorId;

    private static ComplaintReceiptView Receipt(OperatorComplaint complaint, Ticket ticket) =>
        new(complaint.OrderId, ticket.Ref, Millis(ticket.AcceptedAt), complaint.ReceiptLevel, Millis(complaint.ReceiptDueAt));

    // The store keeps milliseconds: the first receipt must equal the one read back for a repeated request.
    private static DateTimeOffset Millis(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());

    private static void RefuseIfWithdrawn(OperatorComplaint complaint, string what)
    {
        if (complaint.WithdrawnAt is not null)
        {
            throw new ComplaintException(ComplaintError.State, $"Complaint '{complaint.OrderId}' was withdrawn; you cannot {what} it.");
        }
    }

    private Ticket MarkRepeat(DbConnection c, DbTransaction tx, Ticket ticket, string msisdn, string actor, DateTimeOffset now)
    {
        if (ComplaintSql.PreviousComplaint(c, tx, msisdn, ticket.Id) is { } previous)
        {
            return tickets.MarkRepeat(c, tx, ticket.Id, previous, "flagged by the operator", actor);
        }

        TicketSql.AppendHistory(c, tx, ticket.Id, now, actor, "repeat-flag", $"the operator flagged a repeat complaint, but no earlier complaint from {msisdn} is on record");
        return ticket;
    }

    private Task<ComplaintView> ChangeAsync(string operatorId, string orderId, Action<DbConnection, DbTransaction, OperatorComplaint, Ticket, DateTimeOffset> change, CancellationToken cancellationToken) =>
        tickets.Database.WriteAsync((c, tx) =>
        {
            var complaint = ComplaintSql.Find(c, tx, operatorId, orderId) ?? throw ComplaintException.NotFound(orderId);
            change(c, tx, complaint, TicketSql.Find(c, tx, complaint.TicketId)!, time.GetUtcNow());
            return View(c, tx, operatorId, orderId);
        }, cancellationToken);

    private static ComplaintView View(DbConnection c, DbTransaction? tx, string operatorId, string orderId)
    {
        var complaint = ComplaintSql.Find(c, tx, operatorId, orderId) ?? throw ComplaintException.NotFound(orderId);
        return new ComplaintView(complaint, TicketSql.Find(c, tx, complaint.TicketId)!, UpdateOutbox.ForTicket(c, tx, complaint.TicketId));
    }

    /// <summary>Another node holds the order_id's lock: it is accepting the same complaint now. The gRPC edge answers UNAVAILABLE if it lasts.</summary>
    private sealed class OrderInFlightException() : TimeoutException("Another gateway node is accepting the same order_id now.");
}
