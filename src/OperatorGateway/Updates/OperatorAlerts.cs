using Microsoft.Data.Sqlite;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Updates;

/// <summary>
/// The seam to the person on duty: an alert is a row of <c>operator_alerts</c> (which the duty
/// roster reads and acknowledges), a history line on the ticket, and an Error in the log.
/// </summary>
internal sealed class OperatorAlerts(ILogger<OperatorAlerts> logger)
{
    public const string Urge = "urge";
    public const string Undelivered = "undelivered";
    private const string Actor = "ticketgw";

    /// <summary>Raises an alert in the caller's transaction.</summary>
    public void Raise(SqliteConnection connection, SqliteTransaction transaction, string kind, string operatorId, long? ticketId, string detail, DateTimeOffset now)
    {
        connection.Execute(
            "INSERT INTO operator_alerts (at, kind, operator_id, ticket_id, detail) VALUES ($at, $kind, $op, $t, $detail)",
            transaction,
            ("$at", now.ToDb()),
            ("$kind", kind),
            ("$op", operatorId),
            ("$t", ticketId),
            ("$detail", detail));
        if (ticketId is { } id)
        {
            TicketSql.AppendHistory(connection, transaction, id, now, Actor, "alert", $"{kind}: {detail}");
        }

        // Logged before the commit: an alert seen once too often beats one never seen.
        Log.OperatorAlert(logger, kind, operatorId, ticketId is { } t ? TicketReference.Format(t) : "-", detail);
    }

    /// <summary>Open (unacknowledged) alerts, newest first.</summary>
    public static IReadOnlyList<(long Id, DateTimeOffset At, string Kind, string OperatorId, long? TicketId, string Detail)> Open(SqliteConnection connection, int limit)
    {
        using var command = connection.Command(
            "SELECT id, at, kind, operator_id, ticket_id, detail FROM operator_alerts WHERE acknowledged_at IS NULL ORDER BY id DESC LIMIT $l",
            null,
            ("$l", limit));
        using var r = command.ExecuteReader();
        var list = new List<(long, DateTimeOffset, string, string, long?, string)>();
        while (r.Read())
        {
            list.Add((r.GetInt64(0), r.Instant(1), r.GetString(2), r.GetString(3), r.Int64OrNull(4), r.GetString(5)));
        }

        return list;
    }
}
