using System.Data.Common;
using TicketGateway.Tickets.Agents;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Kpis;

/// <summary>The figures per agent, from who did what as the store recorded it.</summary>
/// <remarks>
/// The tickets are the month's, exactly as the monthly indicators take them (accepted in the month in
/// the desk's zone, merged tickets left out), so each column adds up over the rows (agents and the row
/// of no agent account) to the month's total. Who did it:
/// <list type="bullet">
/// <item><b>tickets owned</b>: the ticket's owner at the report's moment (what <c>tickets list --owner</c>
/// shows; a reassignment after the month moves the ticket, because the owner is who answers for it now).</item>
/// <item><b>replies sent</b>: outbound messages that are not automatic (agent replies, template answers,
/// resolution mails, answers on the phone, answers to the operator) by the actor who recorded them;
/// acknowledgements and surveys are the gateway's own, and notes are not replies.</item>
/// <item><b>first replies given</b>: who made the ticket's first reply: for a mail, the writer of the mail
/// whose SMTP acceptance set <c>firstReplyAt</c> (counted as a reply, accepted at that instant); otherwise
/// the actor of the ticket's own first-reply history line (the agent who answered on the phone; for an
/// operator complaint the delivery of its acceptance). <b>On time</b>: <c>firstReplyAt &lt;= replyDueAt</c>.
/// A ticket with no first reply is nobody's first reply: it shows in the monthly reply indicators.</item>
/// <item><b>complaints resolved</b>: complaints resolved at the report's moment, by the actor of the
/// ticket's latest own resolution history line; <b>within the deadline</b>: <c>resolvedAt &lt;= resolveDueAt</c>.</item>
/// <item><b>median first-reply time</b>: over the agent's first replies, <c>firstReplyAt - acceptedAt</c>.</item>
/// <item><b>satisfaction</b>: survey answers (mail or said on the phone) on tickets whose latest own
/// resolution line the agent recorded; satisfied over answers received (a complaint reopened by its
/// unsatisfied answer still counts against its resolver).</item>
/// <item><b>repeat complaints</b>: the month's repeat complaints, against the agent who resolved the
/// earlier complaint (the one repeated; latest own resolution line); a complaint repeated before anyone
/// resolved it counts in the row of no agent account.</item>
/// </list>
/// "Own" history lines leave out the copies a merge brings from the merged ticket (their detail starts
/// with <c>[TG-...]</c>). An actor is an agent when it is an account's login (<c>--as</c>, agent mail).
/// </remarks>
public sealed partial class KpiCalculator
{
    /// <summary>The name of the row of work done by no agent account.</summary>
    public const string NoAgentName = "(no agent account)";

    private const string MonthTickets = $"tickets.accepted_at >= @from AND tickets.accepted_at < @to AND {NotMerged}";

    // The writer of the mail whose SMTP acceptance was the first reply, else the first-reply line's actor.
    private const string FirstReplier = """
        COALESCE(
            (SELECT m.actor FROM outbox o JOIN messages m ON m.message_id = o.message_id
             WHERE o.ticket_id = tickets.id AND o.counts_as_reply = 1 AND o.sent_at = tickets.first_reply_at
             ORDER BY o.id LIMIT 1),
            (SELECT h.actor FROM history h
             WHERE h.ticket_id = tickets.id AND h.action = 'first-reply' AND h.detail NOT LIKE '[%'
             ORDER BY h.id LIMIT 1))
        """;

    // One row per ticket of the month with who owns it, gave its first reply, resolved it, and resolved
    // the complaint it repeats. Read by the figures and by the refs, several times each: materialised,
    // so the lookups behind the attributions run once per ticket.
    private static readonly string Attributed = $"""
        attributed AS MATERIALIZED (
            SELECT tickets.id, tickets.kind, tickets.accepted_at, tickets.first_reply_at, tickets.reply_due_at,
                tickets.resolved_at, tickets.resolve_due_at, tickets.satisfaction, tickets.repeat_of, tickets.owner,
                CASE WHEN tickets.first_reply_at IS NOT NULL THEN {FirstReplier} END AS replier,
                {ResolverOf("tickets.id")} AS resolver,
                CASE WHEN tickets.kind = 'complaint' AND tickets.repeat_of IS NOT NULL THEN {ResolverOf("tickets.repeat_of")} END AS repeat_resolver
            FROM tickets
            WHERE {MonthTickets})
        """;

    // Who recorded the latest own resolution of a ticket (its id given as SQL).
    private static string ResolverOf(string ticket) => $"""
        (SELECT h.actor FROM history h
         WHERE h.ticket_id = {ticket} AND h.action = 'resolved' AND h.detail NOT LIKE '[%'
         ORDER BY h.id DESC LIMIT 1)
        """;

    private const string OnTime = "attributed.first_reply_at <= attributed.reply_due_at";
    private const string ComplaintResolved = "attributed.kind = 'complaint' AND attributed.resolved_at IS NOT NULL";
    private const string ResolvedInTime = "attributed.resolved_at <= attributed.resolve_due_at";

    /// <summary>
    /// The figures per agent of one month: two aggregate queries (the month's tickets with who did what,
    /// each looked up once per ticket, with the medians; the month's replies), whatever their number.
    /// With <paramref name="withRefs"/>, each figure also lists the tickets behind it (at most
    /// <see cref="MissedListLimit"/> per agent and figure), one more query.
    /// </summary>
    public AgentKpiReport ComputeByAgent(KpiMonth month, bool withRefs = false)
    {
        ArgumentNullException.ThrowIfNull(month);
        var now = time.GetUtcNow();
        (string, object?)[] range = [("@from", month.Start.ToDb()), ("@to", month.End.ToDb())];
        // The replies are a pass over the month's messages; on their own connection they are counted
        // beside the main aggregate (WAL readers do not block each other), as the daily volumes are.
        var others = Task.Run(() => database.Read(c => Replies(c, range)));
        var agents = database.Read(c =>
        {
            var rows = AgentAccounts.List(c, null).ToDictionary(a => a.Login, a => new Tally(a.Login, a.Name, Names.Of(a.Role), a.Active));
            rows[""] = new Tally(null, NoAgentName, null, true);
            Tally Row(DbDataReader r, int ordinal) => rows[r.IsDBNull(ordinal) ? "" : r.GetString(ordinal)];

            // The counts per combination of owner, first replier, resolver and resolver of the repeated
            // complaint, and (second part) the median by rank within each agent's first replies: the middle
            // one, or the mean of the two middle ones.
            using (var cmd = c.Command(
                $"""
                WITH {Attributed},
                ranked AS (
                    SELECT a.login AS who, attributed.first_reply_at - attributed.accepted_at AS took,
                        ROW_NUMBER() OVER (PARTITION BY a.login ORDER BY attributed.first_reply_at - attributed.accepted_at) AS n,
                        COUNT(*) OVER (PARTITION BY a.login) AS total
                    FROM attributed LEFT JOIN agents a ON a.login = attributed.replier
                    WHERE attributed.first_reply_at IS NOT NULL)
                SELECT 'counts', ao.login, ar.login, ares.login, arr.login, COUNT(*),
                    SUM(CASE WHEN attributed.first_reply_at IS NOT NULL THEN 1 ELSE 0 END),
                    SUM(CASE WHEN {OnTime} THEN 1 ELSE 0 END),
                    SUM(CASE WHEN {ComplaintResolved} THEN 1 ELSE 0 END),
                    SUM(CASE WHEN {ComplaintResolved} AND {ResolvedInTime} THEN 1 ELSE 0 END),
                    SUM(CASE WHEN attributed.satisfaction <> 'none' THEN 1 ELSE 0 END),
                    SUM(CASE WHEN attributed.satisfaction = 'satisfied' THEN 1 ELSE 0 END),
                    SUM(CASE WHEN attributed.kind = 'complaint' AND attributed.repeat_of IS NOT NULL THEN 1 ELSE 0 END)
                FROM attributed
                LEFT JOIN agents ao ON ao.login = attributed.owner
                LEFT JOIN agents ar ON ar.login = attributed.replier
                LEFT JOIN agents ares ON ares.login = attributed.resolver
                LEFT JOIN agents arr ON arr.login = attributed.repeat_resolver
                GROUP BY ao.login, ar.login, ares.login, arr.login
                UNION ALL
                SELECT 'median', who, NULL, NULL, NULL, CAST(AVG(took) AS BIGINT), 0, 0, 0, 0, 0, 0, 0
                FROM ranked WHERE n = (total + 1) / 2 OR n = (total + 2) / 2 GROUP BY who
                """, null, range))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    if (r.GetString(0) == "median")
                    {
                        Row(r, 1).Median = TimeSpan.FromMilliseconds(r.GetInt64(5));
                        continue;
                    }

                    Row(r, 1).Owned += r.GetInt64(5);
                    var replier = Row(r, 2);
                    replier.FirstReplies += r.GetInt64(6);
                    replier.OnTime += r.GetInt64(7);
                    var resolver = Row(r, 3);
                    resolver.Resolved += r.GetInt64(8);
                    resolver.ResolvedInTime += r.GetInt64(9);
                    resolver.Surveys += r.GetInt64(10);
                    resolver.Satisfied += r.GetInt64(11);
                    Row(r, 4).Repeats += r.GetInt64(12);
                }
            }

            foreach (var (who, replies) in others.GetAwaiter().GetResult())
            {
                // An account added while the report ran is not in the list read above: its replies stay unattributed.
                (rows.GetValueOrDefault(who ?? "") ?? rows[""]).Replies += replies;
            }

            if (withRefs)
            {
                ReadRefs(c, range, rows);
            }

            return rows.Values.OrderBy(t => t.Login is null).ThenBy(t => t.Login, StringComparer.Ordinal).Select(t => t.Figures(withRefs)).ToList();
        });

        return new AgentKpiReport { Month = month, TimeZone = zone.Id, GeneratedAt = now, Agents = agents };
    }

    // Replies sent per actor that is an agent (null: no agent account).
    private static List<(string? Who, long Replies)> Replies(DbConnection c, (string, object?)[] range)
    {
        using var cmd = c.Command(
            $"""
            SELECT a.login, COUNT(*)
            FROM tickets JOIN messages msg ON msg.ticket_id = tickets.id
            LEFT JOIN agents a ON a.login = msg.actor
            WHERE {MonthTickets} AND msg.direction = 'outbound' AND msg.automatic = 0
            GROUP BY a.login
            """, null, range);
        using var r = cmd.ExecuteReader();
        var list = new List<(string?, long)>();
        while (r.Read())
        {
            list.Add((r.IsDBNull(0) ? null : r.GetString(0), r.GetInt64(1)));
        }

        return list;
    }

    private static void ReadRefs(DbConnection c, (string, object?)[] range, Dictionary<string, Tally> rows)
    {
        using var cmd = c.Command(
            $"""
            WITH {Attributed},
            behind AS (
                SELECT 'tickets_owned' AS figure, a.login AS who, attributed.id, attributed.accepted_at
                FROM attributed LEFT JOIN agents a ON a.login = attributed.owner
                UNION ALL
                SELECT DISTINCT 'replies_sent', a.login, tickets.id, tickets.accepted_at
                FROM tickets JOIN messages msg ON msg.ticket_id = tickets.id LEFT JOIN agents a ON a.login = msg.actor
                WHERE {MonthTickets} AND msg.direction = 'outbound' AND msg.automatic = 0
                UNION ALL
                SELECT 'first_replies', a.login, attributed.id, attributed.accepted_at
                FROM attributed LEFT JOIN agents a ON a.login = attributed.replier WHERE attributed.first_reply_at IS NOT NULL
                UNION ALL
                SELECT 'first_replies_on_time', a.login, attributed.id, attributed.accepted_at
                FROM attributed LEFT JOIN agents a ON a.login = attributed.replier WHERE {OnTime}
                UNION ALL
                SELECT 'complaints_resolved', a.login, attributed.id, attributed.accepted_at
                FROM attributed LEFT JOIN agents a ON a.login = attributed.resolver WHERE {ComplaintResolved}
                UNION ALL
                SELECT 'complaints_resolved_on_time', a.login, attributed.id, attributed.accepted_at
                FROM attributed LEFT JOIN agents a ON a.login = attributed.resolver WHERE {ComplaintResolved} AND {ResolvedInTime}
                UNION ALL
                SELECT 'surveys_received', a.login, attributed.id, attributed.accepted_at
                FROM attributed LEFT JOIN agents a ON a.login = attributed.resolver WHERE attributed.satisfaction <> 'none'
                UNION ALL
                SELECT 'satisfied', a.login, attributed.id, attributed.accepted_at
                FROM attributed LEFT JOIN agents a ON a.login = attributed.resolver WHERE attributed.satisfaction = 'satisfied'
                UNION ALL
                SELECT 'repeat_complaints', a.login, attributed.id, attributed.accepted_at
                FROM attributed LEFT JOIN agents a ON a.login = attributed.repeat_resolver
                WHERE attributed.kind = 'complaint' AND attributed.repeat_of IS NOT NULL),
            ranked AS (
                SELECT figure, who, id, ROW_NUMBER() OVER (PARTITION BY figure, who ORDER BY accepted_at, id) AS n FROM behind)
            SELECT figure, who, id FROM ranked WHERE n <= {MissedListLimit} ORDER BY figure, who, n
            """, null, range);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var row = rows[r.IsDBNull(1) ? "" : r.GetString(1)];
            row.Refs[r.GetString(0)].Add(TicketReference.Format(r.GetInt64(2)));
        }
    }

    private sealed class Tally(string? login, string name, string? role, bool active)
    {
        public string? Login => login;

        public long Owned { get; set; }

        public long Replies { get; set; }

        public long FirstReplies { get; set; }

        public long OnTime { get; set; }

        public long Resolved { get; set; }

        public long ResolvedInTime { get; set; }

        public long Surveys { get; set; }

        public long Satisfied { get; set; }

        public long Repeats { get; set; }

        public TimeSpan? Median { get; set; }

        public Dictionary<string, List<string>> Refs { get; } = AgentFigures.FigureKeys.ToDictionary(k => k, _ => new List<string>());

        public AgentFigures Figures(bool withRefs) => new()
        {
            Login = login,
            Name = name,
            Role = role,
            Active = active,
            TicketsOwned = Owned,
            RepliesSent = Replies,
            FirstReplies = FirstReplies,
            FirstRepliesOnTime = OnTime,
            ComplaintsResolved = Resolved,
            ComplaintsResolvedOnTime = ResolvedInTime,
            MedianFirstReply = Median,
            SurveysReceived = Surveys,
            Satisfied = Satisfied,
            RepeatComplaints = Repeats,
            Refs = withRefs ? Refs.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value) : null,
        };
    }
}
