using System.Data.Common;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Delivery;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Updates;

/// <summary>The SQL of the update outbox <c>operator_updates</c>.</summary>
internal static class UpdateOutbox
{
    /// <summary>
    /// The update outbox as a <see cref="DeliveryQueue"/>: no claim (a crash before the outcome is
    /// committed only sends again), pending while <c>delivered_at</c> is null, never given up
    /// (at least once), and alerted about once when stuck longer than <c>UndeliveredAlertAfter</c>.
    /// </summary>
    public static readonly DeliveryQueue Deliveries = new(new DeliveryTable
    {
        Table = "operator_updates",
        Attempts = "attempts",
        NextAttemptAt = "next_attempt_at",
        LastError = "last_error",
        DeliveredAt = "delivered_at",
        QueuedAt = "occurred_at",
        AlertedAt = "alerted_at",
        ClaimedBy = "claimed_by",
        ClaimedUntil = "claimed_until",
    });

    private const string Columns = """
        id, ticket_id, operator_id, order_id, sequence, kind, occurred_at, message, handler, refund_fen,
        level, resolve_due_at, attempts, delivered_at
        """;

    public static void Insert(DbConnection connection, DbTransaction transaction, QueuedUpdate u) =>
        CommandCache.Defer(
            connection,
            transaction,
            """
            INSERT INTO operator_updates (ticket_id, operator_id, order_id, sequence, kind, occurred_at, message, handler,
                refund_fen, level, resolve_due_at, next_attempt_at)
            VALUES (@t, @op, @order, @seq, @kind, @at, @msg, @handler, @refund, @level, @due, @at)
            """,
            ("@t", u.TicketId),
            ("@op", u.OperatorId),
            ("@order", u.OrderId),
            ("@seq", u.Sequence),
            ("@kind", Names.Of(u.Kind)),
            ("@at", u.OccurredAt.ToDb()),
            ("@msg", u.Message),
            ("@handler", u.Handler),
            ("@refund", u.RefundFen),
            ("@level", u.Level),
            ("@due", u.ResolveDueAt.ToDb()));

    /// <summary>Every update of one complaint, in sequence order.</summary>
    public static IReadOnlyList<QueuedUpdate> ForTicket(DbConnection connection, DbTransaction? transaction, long ticketId) =>
        Query(connection, transaction, $"SELECT {Columns} FROM operator_updates WHERE ticket_id = @t ORDER BY sequence", ("@t", ticketId));

    /// <summary>
    /// Updates of one operator that are due for an attempt and are the oldest undelivered of their
    /// complaint: delivering only the head of each complaint keeps every complaint in order.
    /// </summary>
    public static IReadOnlyList<QueuedUpdate> DueHeads(DbConnection connection, string operatorId, DateTimeOffset now, int limit) =>
        Query(
            connection,
            null,
            DueHeadsSql,
            ("@op", operatorId),
            ("@now", now.ToDb()),
            ("@limit", limit));

    /// <summary>
    /// <see cref="DueHeads"/>' query: read in the order of <c>ix_operator_updates_due</c> (schema step 661), each
    /// candidate's predecessors looked up by <c>ux_operator_updates_sequence</c>, so a pass reads about as many
    /// rows as it returns however large the backlog.
    /// </summary>
    internal static readonly string DueHeadsSql = $"""
        SELECT {Columns} FROM operator_updates u
        WHERE u.operator_id = @op AND {Deliveries.DueCondition}
          AND NOT EXISTS (SELECT 1 FROM operator_updates p
                          WHERE p.ticket_id = u.ticket_id AND p.delivered_at IS NULL AND p.sequence < u.sequence)
        ORDER BY u.next_attempt_at, u.id
        LIMIT @limit
        """;

    /// <summary><see cref="Overdue"/>' query, oldest first: it reads <c>ix_operator_updates_unalerted</c> (step 661) up to the cutoff and no further.</summary>
    internal static readonly string OverdueSql = $"""
        SELECT id, ticket_id, operator_id, order_id, sequence, occurred_at, attempts, last_error FROM operator_updates
        WHERE {Deliveries.StuckCondition}
        ORDER BY occurred_at, id LIMIT 100
        """;

    /// <summary>Undelivered updates queued before <paramref name="cutoff"/> that nobody was alerted about yet, oldest first.</summary>
    public static IReadOnlyList<(long Id, long TicketId, string OperatorId, string OrderId, long Sequence, DateTimeOffset QueuedAt, int Attempts, string? LastError)> Overdue(
        DbConnection connection, DateTimeOffset cutoff)
    {
        using var command = connection.Command(
            OverdueSql,
            null,
            ("@cutoff", cutoff.ToDb()));
        using var r = command.ExecuteReader();
        var list = new List<(long, long, string, string, long, DateTimeOffset, int, string?)>();
        while (r.Read())
        {
            list.Add((r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.Instant(5), r.GetInt32(6), r.StringOrNull(7)));
        }

        return list;
    }

    /// <summary>
    /// Updates not delivered although tried (or queued before <paramref name="lateBefore"/>), oldest first:
    /// the stuck-work page's list.
    /// </summary>
    public static IReadOnlyList<(QueuedUpdate Update, DateTimeOffset NextAttemptAt, string? LastError)> Stuck(DbConnection connection, DateTimeOffset lateBefore, int limit)
    {
        using var command = connection.Command(
            $"""
            SELECT {Columns}, next_attempt_at, last_error FROM operator_updates
            WHERE delivered_at IS NULL AND (attempts > 0 OR occurred_at < @late)
            ORDER BY occurred_at, id LIMIT @limit
            """,
            null,
            ("@late", lateBefore.ToDb()),
            ("@limit", limit));
        using var r = command.ExecuteReader();
        var list = new List<(QueuedUpdate, DateTimeOffset, string?)>();
        while (r.Read())
        {
            list.Add((Read(r), r.Instant(14), r.StringOrNull(15)));
        }

        return list;
    }

    private static List<QueuedUpdate> Query(DbConnection connection, DbTransaction? transaction, string sql, params (string, object?)[] parameters)
    {
        using var command = connection.Command(sql, transaction, parameters);
        using var r = command.ExecuteReader();
        var list = new List<QueuedUpdate>();
        while (r.Read())
        {
            list.Add(Read(r));
        }

        return list;
    }

    private static QueuedUpdate Read(DbDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetInt64(4), Names.Parse<UpdateKind>(r.GetString(5)),
        r.Instant(6), r.GetString(7), r.GetString(8), r.Int64OrNull(9), r.GetInt32(10), r.InstantOrNull(11), r.GetInt32(12), r.InstantOrNull(13));
}
