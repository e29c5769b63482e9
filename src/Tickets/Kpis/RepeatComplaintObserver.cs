using System.Globalization;
using System.Text.RegularExpressions;
using System.Data.Common;
using Microsoft.Extensions.Options;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Kpis;

/// <summary>
/// The repeat-complaint rule for new complaints (重复投诉): a complaint from the same customer (same
/// email address or mobile number) within <see cref="QualityOptions.RepeatWindow"/> after an earlier
/// complaint on the same subject (<see cref="SubjectKey"/>) or the same service code, when by the time
/// the new one was accepted the earlier one had been answered (first reply reached the customer, or
/// resolved), or had not been answered in time: past its first-reply deadline with no first reply, or
/// past its resolution deadline unresolved. An earlier complaint still inside its deadlines is not
/// repeated against: nothing was late yet. Runs inside the transaction that creates the ticket, for
/// every channel, so the mark is never missing.
/// </summary>
/// <remarks>
/// The service is given as a factory: <see cref="TicketService"/> takes its observers in its
/// constructor, so a direct dependency would be a cycle.
/// </remarks>
public sealed class RepeatComplaintObserver(Func<TicketService> tickets, IOptions<QualityOptions> options) : ITicketObserver
{
    private const int MaxCandidates = 50;
    private readonly Regex _serviceCode = new(options.Value.ServiceCodePattern, RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));

    /// <inheritdoc/>
    public void OnCreated(DbConnection connection, DbTransaction transaction, Ticket ticket, TicketOpening opening, string actor)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (ticket.Kind != TicketKind.Complaint || ticket.RepeatOf is not null || (ticket.Customer.Email is null && ticket.Customer.Phone is null))
        {
            return;
        }

        var accepted = ticket.AcceptedAt.ToDb();
        var since = accepted - (long)options.Value.RepeatWindow.TotalMilliseconds;
        // One indexed range scan per way of reaching the customer (ix_tickets_phone_accepted,
        // ix_tickets_email_accepted), newest first, so a customer with thousands of complaints costs
        // at most MaxCandidates rows here, not a scan of all of them.
        var candidates = Candidates(connection, transaction, "customer_phone", ticket.Customer.Phone, ticket.Id, since, accepted)
            .Concat(Candidates(connection, transaction, "customer_email", ticket.Customer.Email, ticket.Id, since, accepted))
            .DistinctBy(c => c.Id)
            .OrderByDescending(c => c.AcceptedAt).ThenByDescending(c => c.Id)
            .Take(MaxCandidates)
            .ToList();

        if (candidates.Count == 0)
        {
            return;
        }

        var code = ServiceCode(connection, transaction, ticket.Id, ticket.Subject);
        foreach (var (id, subject, _, state) in candidates)
        {
            string? why = null;
            if (SubjectKey.Same(subject, ticket.Subject))
            {
                why = "same subject";
            }
            else if (code is not null && code == ServiceCode(connection, transaction, id, subject))
            {
                why = "same service code " + code;
            }

            if (why is not null)
            {
                var days = options.Value.RepeatWindow.TotalDays.ToString("0.##", CultureInfo.InvariantCulture);
                tickets().MarkRepeat(connection, transaction, ticket.Id, id,
                    $"rule: new complaint from the same customer within {days} days of {state.Replace("{ref}", TicketReference.Format(id), StringComparison.Ordinal)}, {why}", actor);
                return;
            }
        }
    }

    /// <inheritdoc/>
    public void OnChanged(DbConnection connection, DbTransaction transaction, Ticket before, Ticket after, string actor)
    {
        // Other repeat rules (a customer writing again, an unsatisfied survey, the operator's mark) are
        // recognised where those events arrive and set repeatOf themselves.
    }

    private static List<(long Id, string Subject, long AcceptedAt, string State)> Candidates(
        DbConnection connection, DbTransaction transaction, string column, string? value, long self, long since, long accepted)
    {
        var list = new List<(long, string, long, string)>();
        if (value is null)
        {
            return list;
        }

        // Once per new complaint on the writer: a prepared, reused command.
        using var r = CommandCache.Get(
            connection,
            transaction,
            $"""
            SELECT id, subject, accepted_at,
                COALESCE(first_reply_at <= @accepted, FALSE) OR COALESCE(resolved_at <= @accepted, FALSE),
                reply_due_at < @accepted AND COALESCE(first_reply_at > @accepted, TRUE),
                COALESCE(resolve_due_at < @accepted AND COALESCE(resolved_at > @accepted, TRUE), FALSE)
            FROM tickets
            WHERE {column} = @value AND accepted_at >= @since AND accepted_at <= @accepted
              AND kind = 'complaint' AND id <> @id
              AND (COALESCE(first_reply_at <= @accepted, FALSE) OR COALESCE(resolved_at <= @accepted, FALSE)
                OR (first_reply_at IS NULL OR first_reply_at > @accepted) AND reply_due_at < @accepted
                OR (resolved_at IS NULL OR resolved_at > @accepted) AND resolve_due_at < @accepted)
            ORDER BY accepted_at DESC, id DESC LIMIT {MaxCandidates}
            """,
            ("@value", value),
            ("@id", self),
            ("@since", since),
            ("@accepted", accepted)).ExecuteReader();
        while (r.Read())
        {
            // Answered by then (the first rule) wins; otherwise the history names the deadline(s) missed.
            var state = r.GetBoolean(3) ? "answered complaint {ref}"
                : (r.GetBoolean(4), r.GetBoolean(5)) switch
                {
                    (true, true) => "complaint {ref} not answered in time (past its first-reply and resolution deadlines)",
                    (true, false) => "complaint {ref} not answered in time (past its first-reply deadline)",
                    _ => "complaint {ref} not answered in time (past its resolution deadline)",
                };
            list.Add((r.GetInt64(0), r.GetString(1), r.GetInt64(2), state));
        }

        return list;
    }

    private string? ServiceCode(DbConnection connection, DbTransaction transaction, long ticketId, string subject)
    {
        var m = _serviceCode.Match(subject);
        if (!m.Success)
        {
            var text = connection.Scalar(
                "SELECT body_text FROM messages WHERE ticket_id = @t AND direction = 'inbound' ORDER BY at, id LIMIT 1",
                transaction,
                ("@t", ticketId)) as string;
            m = text is null ? Match.Empty : _serviceCode.Match(text);
        }

        return m.Success ? m.Groups[1].Value.ToUpperInvariant() : null;
    }
}
