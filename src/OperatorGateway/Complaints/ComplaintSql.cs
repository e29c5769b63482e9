using System.Data.Common;
using TicketGateway.Tickets.Attachments;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Complaints;

/// <summary>The SQL of <c>operator_complaints</c> and the operator's files (in Tickets' <c>attachments</c>).</summary>
internal static class ComplaintSql
{
    private const string Columns = """
        ticket_id, operator_id, order_id, request_hash, category, service_code, msisdn, received_at, reply_by,
        operator_repeat, receipt_level, receipt_due_at, last_sequence, refund_fen, withdrawn_at
        """;

    public static OperatorComplaint? Find(DbConnection connection, DbTransaction? transaction, string operatorId, string orderId) =>
        One(connection, transaction, "operator_id = @op AND order_id = @order", ("@op", operatorId), ("@order", orderId));

    public static OperatorComplaint? ForTicket(DbConnection connection, DbTransaction? transaction, long ticketId) =>
        One(connection, transaction, "ticket_id = @t", ("@t", ticketId));

    public static void Insert(DbConnection connection, DbTransaction transaction, OperatorComplaint c, DateTimeOffset now) =>
        CommandCache.Defer(
            connection,
            transaction,
            $"""
            INSERT INTO operator_complaints ({Columns}, created_at)
            VALUES (@t, @op, @order, @hash, @cat, @svc, @msisdn, @recv, @replyBy, @repeat, @level, @due, @seq, @refund, @withdrawn, @now)
            """,
            ("@t", c.TicketId),
            ("@op", c.OperatorId),
            ("@order", c.OrderId),
            ("@hash", c.RequestHash),
            ("@cat", c.Category),
            ("@svc", c.ServiceCode),
            ("@msisdn", c.Msisdn),
            ("@recv", c.ReceivedAt.ToDb()),
            ("@replyBy", c.ReplyBy.ToDb()),
            ("@repeat", c.OperatorRepeat ? 1 : 0),
            ("@level", c.ReceiptLevel),
            ("@due", c.ReceiptDueAt.ToDb()),
            ("@seq", c.LastSequence),
            ("@refund", c.RefundFen),
            ("@withdrawn", c.WithdrawnAt.ToDb()),
            ("@now", now.ToDb()));

    /// <summary>Takes the next update sequence of a complaint (1, 2, 3...).</summary>
    public static long NextSequence(DbConnection connection, DbTransaction transaction, long ticketId) =>
        (long)connection.Scalar(
            "UPDATE operator_complaints SET last_sequence = last_sequence + 1 WHERE ticket_id = @t RETURNING last_sequence",
            transaction,
            ("@t", ticketId))!;

    public static void MarkWithdrawn(DbConnection connection, DbTransaction transaction, long ticketId, DateTimeOffset at) =>
        connection.Execute("UPDATE operator_complaints SET withdrawn_at = @at WHERE ticket_id = @t", transaction, ("@t", ticketId), ("@at", at.ToDb()));

    public static void SetRefund(DbConnection connection, DbTransaction transaction, long ticketId, long? fen) =>
        connection.Execute("UPDATE operator_complaints SET refund_fen = @f WHERE ticket_id = @t", transaction, ("@t", ticketId), ("@f", fen));

    public static void InsertAttachments(DbConnection connection, DbTransaction transaction, long ticketId, long messageId, IEnumerable<ComplaintAttachment> attachments)
    {
        foreach (var a in attachments)
        {
            AttachmentSql.Insert(connection, transaction, ticketId, messageId, NewAttachment.Of(a.Name, a.ContentType, a.Content));
        }
    }

    /// <summary>The subscriber's most recent earlier complaint (any channel), for the repeat flag.</summary>
    public static long? PreviousComplaint(DbConnection connection, DbTransaction transaction, string msisdn, long beforeTicketId) =>
        connection.Scalar(
            "SELECT MAX(id) FROM tickets WHERE customer_phone = @p AND kind = 'complaint' AND id < @id",
            transaction,
            ("@p", msisdn),
            ("@id", beforeTicketId)) as long?;

    private static OperatorComplaint? One(DbConnection connection, DbTransaction? transaction, string where, params (string, object?)[] parameters)
    {
        // Inside the writer's transaction (every submit looks its order_id up) the prepared command is reused.
        using var lease = CommandCache.Lease(connection, transaction, $"SELECT {Columns} FROM operator_complaints WHERE {where}", parameters);
        using var r = lease.Command.ExecuteReader();
        return r.Read()
            ? new OperatorComplaint(
                r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
                r.Instant(7), r.InstantOrNull(8), r.GetInt64(9) != 0, r.GetInt32(10), r.Instant(11), r.GetInt64(12), r.Int64OrNull(13), r.InstantOrNull(14))
            : null;
    }
}
