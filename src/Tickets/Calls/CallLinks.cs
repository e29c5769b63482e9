using System.Data.Common;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Calls;

/// <summary>
/// Which hotline call each phone ticket was created for (<c>call_tickets</c>). An agent names the
/// call when creating the ticket (<c>--call</c>); otherwise the ticket is matched to a call of the same
/// caller, compared as <see cref="PhoneNumber.NationalOrNull"/>, whose window holds the ticket's accepted
/// time: from the call's start to its end (or its answer, or its start, when the record has no end)
/// plus <see cref="Grace"/>, because agents write the ticket up right after hanging up. Only answered
/// calls (an answer time in the record) have someone who could have created a ticket. When several
/// calls match, the latest to start wins. A ticket links to one call; a call may have several tickets.
/// </summary>
public static class CallLinks
{
    /// <summary>How long after a call ended a ticket created for it may still be accepted.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Links a ticket to a call, in the caller's transaction, with a history line saying how
    /// (<paramref name="linkedBy"/>: <c>agent</c>, <c>caller</c> or <c>import</c>); a ticket already linked keeps its call.
    /// </summary>
    public static void Link(DbConnection connection, DbTransaction transaction, long ticketId, string callKey, string linkedBy, string actor, DateTimeOffset now)
    {
        var inserted = connection.Execute(
            """
            INSERT INTO call_tickets (ticket_id, call_key, linked_by, linked_at) VALUES (@t, @key, @by, @now)
            ON CONFLICT (ticket_id) DO NOTHING
            """,
            transaction,
            ("@t", ticketId),
            ("@key", callKey),
            ("@by", linkedBy),
            ("@now", now.ToDb()));
        if (inserted > 0)
        {
            TicketSql.AppendHistory(connection, transaction, ticketId, now, actor, "call", linkedBy switch
            {
                "agent" => $"created for call {callKey}",
                _ => $"linked to call {callKey} of the same caller ({linkedBy})",
            });
        }
    }

    /// <summary>
    /// The store's key of a call from what an agent typed: Asterisk's uniqueid (stored as <c>uid:</c>
    /// and the id), or a key as <c>calls list --json</c> prints it.
    /// </summary>
    public static string Key(string call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var trimmed = call.Trim();
        return trimmed.StartsWith("uid:", StringComparison.Ordinal) || trimmed.StartsWith("sha:", StringComparison.Ordinal) ? trimmed : "uid:" + trimmed;
    }

    /// <summary>Links a new phone ticket to an already imported call of its caller, if one matches; returns the call's key.</summary>
    public static string? LinkToImportedCall(DbConnection connection, DbTransaction transaction, Ticket ticket, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (ticket.Channel != Channel.Phone || PhoneNumber.NationalOrNull(ticket.Customer.Phone) is not { } caller)
        {
            return null;
        }

        // A call long enough to matter started at most a day before; the window check below is exact.
        using var cmd = connection.Command(
            """
            SELECT call_key, started_at, answered_at, ended_at, caller FROM calls
            WHERE started_at >= @from AND started_at <= @at AND answered_at IS NOT NULL
            ORDER BY started_at DESC, id DESC
            """,
            transaction,
            ("@from", (ticket.AcceptedAt - TimeSpan.FromDays(1)).ToDb()),
            ("@at", ticket.AcceptedAt.ToDb()));
        string? key = null;
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read() && key is null)
            {
                var call = new CallRecord(r.GetString(0), r.Instant(1), r.InstantOrNull(2), r.InstantOrNull(3), r.StringOrNull(4), "ANSWERED");
                if (PhoneNumber.NationalOrNull(call.Caller) == caller && Holds(call, ticket.AcceptedAt))
                {
                    key = call.Key;
                }
            }
        }

        if (key is not null)
        {
            Link(connection, transaction, ticket.Id, key, "caller", "calls", now);
        }

        return key;
    }

    /// <summary>
    /// Links phone tickets not linked yet to the answered calls of an import batch whose window holds
    /// their accepted time, in the caller's transaction; returns how many tickets were linked.
    /// </summary>
    public static int LinkImported(DbConnection connection, DbTransaction transaction, IReadOnlyList<CallRecord> calls, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var answered = calls.Where(c => c.AnsweredAt is not null && PhoneNumber.NationalOrNull(c.Caller) is not null)
            .GroupBy(c => PhoneNumber.NationalOrNull(c.Caller)!)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.StartedAt).ToList());
        if (answered.Count == 0)
        {
            return 0;
        }

        var all = answered.Values.SelectMany(c => c).ToList();
        using var cmd = connection.Command(
            """
            SELECT t.id, t.customer_phone, t.accepted_at FROM tickets t
            WHERE t.accepted_at >= @from AND t.accepted_at <= @to AND t.channel = 'phone'
              AND NOT EXISTS (SELECT 1 FROM call_tickets l WHERE l.ticket_id = t.id)
            """,
            transaction,
            ("@from", all.Min(c => c.StartedAt).ToDb()),
            ("@to", all.Max(WindowEnd).ToDb()));
        var links = new List<(long TicketId, string CallKey)>();
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var acceptedAt = r.Instant(2);
                if (PhoneNumber.NationalOrNull(r.StringOrNull(1)) is { } caller && answered.TryGetValue(caller, out var candidates)
                    && candidates.FirstOrDefault(c => Holds(c, acceptedAt)) is { } call)
                {
                    links.Add((r.GetInt64(0), call.Key));
                }
            }
        }

        foreach (var (ticketId, callKey) in links)
        {
            Link(connection, transaction, ticketId, callKey, "import", "calls-import", now);
        }

        return links.Count;
    }

    /// <summary>The tickets of each of the given calls, by call key.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<long>> TicketsOf(DbConnection connection, DateTimeOffset from, DateTimeOffset to)
    {
        using var cmd = connection.Command(
            """
            SELECT l.call_key, l.ticket_id FROM call_tickets l JOIN calls c ON c.call_key = l.call_key
            WHERE c.started_at >= @from AND c.started_at < @to
            ORDER BY l.ticket_id
            """,
            null,
            ("@from", from.ToDb()),
            ("@to", to.ToDb()));
        using var r = cmd.ExecuteReader();
        var tickets = new Dictionary<string, List<long>>();
        while (r.Read())
        {
            var key = r.GetString(0);
            if (!tickets.TryGetValue(key, out var list))
            {
                tickets[key] = list = [];
            }

            list.Add(r.GetInt64(1));
        }

        return tickets.ToDictionary(p => p.Key, p => (IReadOnlyList<long>)p.Value);
    }

    /// <summary>The call a ticket was created for or linked to, with the call's record once it is imported; null when none.</summary>
    public static TicketCall? OfTicket(DbConnection connection, long ticketId)
    {
        using var cmd = connection.Command(
            """
            SELECT l.call_key, l.linked_by, l.linked_at, c.started_at, c.answered_at, c.ended_at, c.caller, c.disposition
            FROM call_tickets l LEFT JOIN calls c ON c.call_key = l.call_key
            WHERE l.ticket_id = @t
            """,
            null,
            ("@t", ticketId));
        using var r = cmd.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }

        var record = r.IsDBNull(3) ? null : new CallRecord(r.GetString(0), r.Instant(3), r.InstantOrNull(4), r.InstantOrNull(5), r.StringOrNull(6), r.GetString(7));
        return new TicketCall(r.GetString(0), r.GetString(1), r.Instant(2), record);
    }

    private static DateTimeOffset WindowEnd(CallRecord call) => (call.EndedAt ?? call.AnsweredAt ?? call.StartedAt) + Grace;

    private static bool Holds(CallRecord call, DateTimeOffset acceptedAt) => acceptedAt >= call.StartedAt && acceptedAt <= WindowEnd(call);
}
