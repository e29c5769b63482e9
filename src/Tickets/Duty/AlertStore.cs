using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Duty;

/// <summary>
/// Alerts to the person on duty, stored before they are delivered. The unique key
/// (ticket, kind, deadline) makes each reminder and breach alert happen once per ticket and
/// threshold, also across restarts and with two processes scanning. Every alert also leaves a
/// line in the ticket's history.
/// </summary>
public sealed class AlertStore(TicketDatabase database, DutyRoster roster, IOptions<AlertsOptions> options, TimeProvider time, AlertSignal signal)
{
    private const string Actor = "alerts";
    private const string Columns = "id, ticket_id, kind, deadline_at, raised_at, duty_name, duty_email, duty_mobile, text, webhook_state, webhook_attempts, email_state";

    /// <summary>The store.</summary>
    public TicketDatabase Database => database;

    /// <summary>
    /// Raises the reminders and breach alerts due at <paramref name="now"/> for running complaints,
    /// in the caller's transaction. A complaint first seen after its deadline gets only the breach alert.
    /// </summary>
    public int RaiseDue(SqliteConnection connection, SqliteTransaction transaction, DateTimeOffset now)
    {
        var share = (long)Math.Round(options.Value.ReminderShare * 1000);
        using var cmd = connection.Command(
            """
            SELECT t.id, t.level, t.subject, t.resolve_due_at,
                CASE WHEN t.resolve_due_at <= $now THEN 'breach' ELSE 'reminder' END
            FROM tickets t
            WHERE t.status IN ('new', 'open', 'pending') AND t.resolve_due_at IS NOT NULL
              AND t.accepted_at + ((t.resolve_due_at - t.accepted_at) * $share) / 1000 <= $now
              AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.ticket_id = t.id AND a.deadline_at = t.resolve_due_at
                  AND a.kind = CASE WHEN t.resolve_due_at <= $now THEN 'breach' ELSE 'reminder' END)
            ORDER BY t.resolve_due_at, t.id
            """,
            transaction,
            ("$now", now.ToDb()),
            ("$share", share));
        var due = new List<(long Id, int? Level, string Subject, DateTimeOffset DueAt, string Kind)>();
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                due.Add((r.GetInt64(0), r.IsDBNull(1) ? null : r.GetInt32(1), r.GetString(2), r.Instant(3), r.GetString(4)));
            }
        }

        var raised = 0;
        foreach (var (id, level, subject, dueAt, kind) in due)
        {
            var what = kind == AlertKinds.Breach
                ? $"【超时 breach】{TicketReference.Format(id)} level {level} complaint \"{subject}\" missed its resolution deadline {Local(dueAt)}."
                : string.Create(CultureInfo.InvariantCulture,
                    $"【提醒 reminder】{TicketReference.Format(id)} level {level} complaint \"{subject}\" has used {options.Value.ReminderShare * 100:0.#}% of its resolution time; due {Local(dueAt)}.");
            raised += Insert(connection, transaction, id, kind, dueAt, now, what) is null ? 0 : 1;
        }

        return raised;
    }

    /// <summary>
    /// The operator pressed for speed: raises an immediate alert in the caller's transaction and wakes
    /// the worker, which delivers it right after the transaction commits.
    /// </summary>
    /// <returns>The alert's id.</returns>
    public long Urge(SqliteConnection connection, SqliteTransaction transaction, long ticketId, string? note, string actor)
    {
        var ticket = TicketSql.Find(connection, transaction, ticketId) ?? throw TicketException.NotFound(TicketReference.Format(ticketId));
        var now = time.GetUtcNow();
        var text = $"【催办 urge】{ticket.Ref} {Names.Of(ticket.Kind)} \"{ticket.Subject}\" urged by {actor}"
            + (string.IsNullOrWhiteSpace(note) ? "" : $": {note.Trim()}")
            + (ticket.ResolveDueAt is { } due ? $"; due {Local(due)}." : ".");
        // The urge's own instant is its key: every urge alerts, a replay of the same one does not.
        var id = Insert(connection, transaction, ticketId, AlertKinds.Urge, now, now, text)
            ?? (long)connection.Scalar("SELECT id FROM alerts WHERE ticket_id = $t AND kind = 'urge' AND deadline_at = $d", transaction, ("$t", ticketId), ("$d", now.ToDb()))!;
        signal.Wake();
        return id;
    }

    /// <summary>Alerts whose chat post is due.</summary>
    public IReadOnlyList<Alert> PendingWebhook(DateTimeOffset now, int limit) =>
        database.Read(c => Query(c, null, $"WHERE webhook_state = 'pending' AND (webhook_next_at IS NULL OR webhook_next_at <= $now) ORDER BY id LIMIT {limit}", ("$now", now.ToDb())));

    /// <summary>Alerts, newest first; of one ticket when given.</summary>
    public IReadOnlyList<Alert> List(long? ticketId = null, int limit = 1000) =>
        database.Read(c => ticketId is { } t
            ? Query(c, null, $"WHERE ticket_id = $t ORDER BY id DESC LIMIT {limit}", ("$t", t))
            : Query(c, null, $"ORDER BY id DESC LIMIT {limit}"));

    /// <summary>Records the outcome of a chat post.</summary>
    public void MarkWebhook(SqliteConnection connection, SqliteTransaction transaction, long alertId, string? error, DateTimeOffset now)
    {
        if (error is null)
        {
            connection.Execute("UPDATE alerts SET webhook_state = 'sent', webhook_sent_at = $now, webhook_error = NULL WHERE id = $id", transaction, ("$now", now.ToDb()), ("$id", alertId));
            return;
        }

        var webhook = options.Value.Webhook;
        connection.Execute(
            """
            UPDATE alerts SET webhook_attempts = webhook_attempts + 1, webhook_error = $error, webhook_next_at = $next,
                webhook_state = CASE WHEN webhook_attempts + 1 >= $max THEN 'failed' ELSE 'pending' END
            WHERE id = $id
            """,
            transaction,
            ("$error", error),
            ("$next", (now + webhook.RetryInterval).ToDb()),
            ("$max", webhook.MaxAttempts),
            ("$id", alertId));
    }

    /// <summary>
    /// The email channel's hand-over, for the mail outbox: calls <paramref name="enqueue"/> for every alert
    /// in state <see cref="AlertStates.AwaitingOutbox"/> inside the caller's transaction (so the outbox row
    /// and the state change commit together) and marks it <see cref="AlertStates.Queued"/> with the
    /// reference <paramref name="enqueue"/> returns (e.g. the outbox row or Message-ID).
    /// </summary>
    /// <returns>How many alerts were handed over.</returns>
    public static int HandEmailsToOutbox(SqliteConnection connection, SqliteTransaction transaction, Func<Alert, string> enqueue, int limit = 100)
    {
        ArgumentNullException.ThrowIfNull(enqueue);
        var pending = Query(connection, transaction, $"WHERE email_state = 'awaiting-outbox' ORDER BY id LIMIT {limit}");
        foreach (var alert in pending)
        {
            var reference = enqueue(alert);
            connection.Execute("UPDATE alerts SET email_state = 'queued', email_ref = $ref WHERE id = $id", transaction, ("$ref", reference), ("$id", alert.Id));
        }

        return pending.Count;
    }

    private long? Insert(SqliteConnection connection, SqliteTransaction transaction, long ticketId, string kind, DateTimeOffset deadlineAt, DateTimeOffset now, string what)
    {
        var duty = roster.OnDuty(now);
        var names = duty.Count == 0 ? null : string.Join(", ", duty.Select(p => p.Name));
        var emails = Join(duty.Select(p => p.Email));
        var mobiles = Join(duty.Select(p => p.Mobile));
        var text = what + (names is null ? " Nobody is on duty." : $" On duty: {names}.");
        var id = connection.Scalar(
            """
            INSERT INTO alerts (ticket_id, kind, deadline_at, raised_at, duty_name, duty_email, duty_mobile, text, webhook_state, email_state)
            VALUES ($t, $kind, $deadline, $now, $name, $email, $mobile, $text, $webhook, $emailState)
            ON CONFLICT (ticket_id, kind, deadline_at) DO NOTHING
            RETURNING id
            """,
            transaction,
            ("$t", ticketId),
            ("$kind", kind),
            ("$deadline", deadlineAt.ToDb()),
            ("$now", now.ToDb()),
            ("$name", names),
            ("$email", emails),
            ("$mobile", mobiles),
            ("$text", text),
            ("$webhook", options.Value.Webhook.Enabled ? AlertStates.Pending : AlertStates.Disabled),
            ("$emailState", emails is null ? AlertStates.NoRecipient : AlertStates.AwaitingOutbox)) as long?;
        if (id is not null)
        {
            TicketSql.AppendHistory(connection, transaction, ticketId, now, Actor, "alert", $"{kind} alert raised to {names ?? "nobody (no one on duty)"}");
        }

        return id;
    }

    private static List<Alert> Query(SqliteConnection c, SqliteTransaction? tx, string where, params (string, object?)[] parameters)
    {
        using var cmd = c.Command($"SELECT {Columns} FROM alerts {where}", tx, parameters);
        using var r = cmd.ExecuteReader();
        var list = new List<Alert>();
        while (r.Read())
        {
            list.Add(new Alert(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.Instant(3), r.Instant(4), r.StringOrNull(5), r.StringOrNull(6), r.StringOrNull(7),
                r.GetString(8), r.GetString(9), r.GetInt32(10), r.GetString(11)));
        }

        return list;
    }

    private static string? Join(IEnumerable<string?> values)
    {
        var list = values.Where(v => !string.IsNullOrWhiteSpace(v)).ToList();
        return list.Count == 0 ? null : string.Join(",", list);
    }

    private string Local(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, roster.Zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
