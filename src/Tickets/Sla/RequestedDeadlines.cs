using System.Data.Common;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Sla;

/// <summary>
/// Resolution deadlines a requester asked for (the operator's <c>reply_by</c>), kept beside the
/// ticket's level deadline: the alerts watch whichever is earlier, while the ticket and the monthly
/// level compliance keep the level's deadline.
/// </summary>
public static class RequestedDeadlines
{
    /// <summary>Records (or replaces) the requested deadline of a ticket, in the caller's transaction.</summary>
    /// <remarks>A prepared, reused command: the operator's complaint submission is a hot write path.</remarks>
    public static void Set(DbConnection connection, DbTransaction transaction, long ticketId, DateTimeOffset dueAt, string source) =>
        CommandCache.Execute(
            connection,
            transaction,
            """
            INSERT INTO requested_deadlines (ticket_id, due_at, source) VALUES (@t, @due, @source)
            ON CONFLICT (ticket_id) DO UPDATE SET due_at = excluded.due_at, source = excluded.source
            """,
            ("@t", ticketId),
            ("@due", dueAt.ToDb()),
            ("@source", source));

    /// <summary>The requested deadline of a ticket, or null.</summary>
    public static DateTimeOffset? Find(DbConnection connection, DbTransaction? transaction, long ticketId) =>
        connection.Scalar("SELECT due_at FROM requested_deadlines WHERE ticket_id = @t", transaction, ("@t", ticketId)) is { } ms
            ? DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(ms, System.Globalization.CultureInfo.InvariantCulture))
            : null;
}
