using System.Globalization;
using System.Data.Common;
using Microsoft.Extensions.Options;
using TicketGateway.Tickets.Delivery;
using TicketGateway.Tickets.Replies;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Duty;

/// <summary>
/// The one alert mechanism for the person on duty: deadline reminders and breaches, operator urges,
/// updates the operator has not received, mail refused for good. Each alert is a row of
/// <c>alerts</c>, unique per (ticket, kind, instant, cause), so it is raised once per ticket and
/// threshold or cause, also across restarts and with two processes. Raising it writes, in the
/// caller's transaction, the row, a history line, and its mail in the outbox (to the people on duty
/// now, else <c>Mail:DutyAddress</c>); the alert worker posts the chat channel. Alert texts are in
/// the desk language (<c>Replies:DeskLanguage</c>, <c>zh-CN</c> or <c>en</c>).
/// </summary>
public sealed class AlertStore(TicketDatabase database, DutyRoster roster, IOptions<AlertsOptions> options, TimeProvider time, AlertSignal signal, Outbox? outbox = null, string deskLanguage = "zh-CN")
{
    private readonly bool _english = deskLanguage == "en";

    private const string Actor = "alerts";

    /// <summary>
    /// The chat posts as a <see cref="DeliveryQueue"/>: no claim, attempts count failed posts only,
    /// given up (<c>failed</c>) after <c>Alerts:Webhook:RetryMaxAttempts</c>.
    /// </summary>
    public static readonly DeliveryQueue WebhookDeliveries = WebhookQueue("alerts");

    /// <summary>
    /// The chat posts kept in <paramref name="table"/> with the alerts' webhook columns (<c>webhook_state</c>,
    /// <c>webhook_attempts</c>, <c>webhook_next_at</c>, ...), so every post to the person on duty has one queue shape.
    /// </summary>
    public static DeliveryQueue WebhookQueue(string table) => new(new DeliveryTable
    {
        Table = table,
        Attempts = "webhook_attempts",
        CountsFailuresOnly = true,
        NextAttemptAt = "webhook_next_at",
        NextAttemptNullable = true,
        LastError = "webhook_error",
        DeliveredAt = "webhook_sent_at",
        State = "webhook_state",
        Pending = AlertStates.Pending,
        Delivered = AlertStates.Sent,
        Failed = AlertStates.Failed,
        ClaimedBy = "claimed_by",
        ClaimedUntil = "claimed_until",
    });

    private const string Columns = "id, ticket_id, kind, deadline_at, raised_at, duty_name, duty_email, duty_mobile, text, webhook_state, webhook_attempts, email_state, email_to";

    /// <summary>The store.</summary>
    public TicketDatabase Database => database;

    /// <summary>
    /// Raises the reminders and breach alerts due at <paramref name="now"/> in the caller's transaction:
    /// of running complaints' resolution deadlines (or of a requested deadline, such as the operator's
    /// reply_by, when it is earlier), and of first-reply deadlines of tickets not answered yet. A ticket
    /// first seen after its deadline gets only the breach alert. A first-reply deadline that is not
    /// earlier than the resolution deadline in force raises nothing of its own: the resolution alerts
    /// about the same instant cover it.
    /// </summary>
    public int RaiseDue(DbConnection connection, DbTransaction transaction, DateTimeOffset now)
    {
        var share = (long)Math.Round(options.Value.ReminderShare * 1000);
        var percent = (options.Value.ReminderShare * 100).ToString("0.#", CultureInfo.InvariantCulture);
        var raised = 0;
        foreach (var (id, level, subject, dueAt, kind, requested) in Due(connection, transaction, ResolutionDueSql, now, share))
        {
            var reference = TicketReference.Format(id);
            var deadline = requested ? (_english ? "the requested deadline (reply_by)" : "要求的答复时限（reply_by）") : (_english ? "its resolution deadline" : "处理时限");
            var what = (kind == AlertKinds.Breach, _english) switch
            {
                (true, true) => $"[breach] {reference} level {level} complaint \"{subject}\" missed {deadline} {Local(dueAt)}.",
                (true, false) => $"【超时】{reference} {level} 级投诉“{subject}”已超过{deadline} {Local(dueAt)}。",
                (false, true) => $"[reminder] {reference} level {level} complaint \"{subject}\" has used {percent}% of {(requested ? "the time to the requested deadline (reply_by)" : "its resolution time")}; due {Local(dueAt)}.",
                (false, false) => $"【提醒】{reference} {level} 级投诉“{subject}”已用去{deadline}的 {percent}%，将于 {Local(dueAt)} 到期。",
            };
            raised += Insert(connection, transaction, id, kind, dueAt, "", now, what) is null ? 0 : 1;
        }

        foreach (var (id, _, subject, dueAt, kind, _) in Due(connection, transaction, ReplyDueSql, now, share))
        {
            var reference = TicketReference.Format(id);
            var what = (kind == AlertKinds.ReplyBreach, _english) switch
            {
                (true, true) => $"[reply breach] {reference} \"{subject}\" got no first reply by its deadline {Local(dueAt)}.",
                (true, false) => $"【答复超时】{reference}“{subject}”未在首次答复时限 {Local(dueAt)} 前答复。",
                (false, true) => $"[reply reminder] {reference} \"{subject}\" has used {percent}% of its first-reply time; reply due {Local(dueAt)}.",
                (false, false) => $"【答复提醒】{reference}“{subject}”已用去首次答复时限的 {percent}%，须于 {Local(dueAt)} 前答复。",
            };
            raised += Insert(connection, transaction, id, kind, dueAt, "", now, what) is null ? 0 : 1;
        }

        return raised;
    }

    // The resolution deadline in force: the level's, or the requested one when earlier (a NULL
    // comparison falls through to the level's). Reminder at the configured share of the time to it.
    private const string ResolutionDueSql = """
        SELECT id, level, subject, due_at, CASE WHEN due_at <= @now THEN 'breach' ELSE 'reminder' END, requested
        FROM (SELECT t.id, t.level, t.subject, t.accepted_at,
                CASE WHEN r.due_at < t.resolve_due_at THEN r.due_at ELSE t.resolve_due_at END AS due_at,
                CASE WHEN r.due_at < t.resolve_due_at THEN 1 ELSE 0 END AS requested
            FROM tickets t LEFT JOIN requested_deadlines r ON r.ticket_id = t.id
            WHERE t.status IN ('new', 'open', 'pending') AND t.resolve_due_at IS NOT NULL) d
        WHERE accepted_at + ((due_at - accepted_at) * @share) / 1000 <= @now
          AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.ticket_id = d.id AND a.deadline_at = d.due_at
              AND a.kind = CASE WHEN d.due_at <= @now THEN 'breach' ELSE 'reminder' END)
        ORDER BY due_at, id
        """;

    private const string ReplyDueSql = """
        SELECT t.id, t.level, t.subject, t.reply_due_at,
            CASE WHEN t.reply_due_at <= @now THEN 'reply-breach' ELSE 'reply-reminder' END, 0
        FROM tickets t LEFT JOIN requested_deadlines r ON r.ticket_id = t.id
        WHERE t.status IN ('new', 'open', 'pending') AND t.first_reply_at IS NULL
          AND (t.resolve_due_at IS NULL OR t.reply_due_at < t.resolve_due_at)
          AND (r.due_at IS NULL OR t.reply_due_at < r.due_at)
          AND t.accepted_at + ((t.reply_due_at - t.accepted_at) * @share) / 1000 <= @now
          AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.ticket_id = t.id AND a.deadline_at = t.reply_due_at
              AND a.kind = CASE WHEN t.reply_due_at <= @now THEN 'reply-breach' ELSE 'reply-reminder' END)
        ORDER BY t.reply_due_at, t.id
        """;

    private static List<(long Id, int? Level, string Subject, DateTimeOffset DueAt, string Kind, bool Requested)> Due(
        DbConnection connection, DbTransaction transaction, string sql, DateTimeOffset now, long share)
    {
        using var cmd = connection.Command(sql, transaction, ("@now", now.ToDb()), ("@share", share));
        using var r = cmd.ExecuteReader();
        var due = new List<(long, int?, string, DateTimeOffset, string, bool)>();
        while (r.Read())
        {
            due.Add((r.GetInt64(0), r.IsDBNull(1) ? null : r.GetInt32(1), r.GetString(2), r.Instant(3), r.GetString(4), Convert.ToInt64(r.GetValue(5), CultureInfo.InvariantCulture) != 0));
        }

        return due;
    }

    /// <summary>
    /// The operator pressed for speed: raises an immediate alert in the caller's transaction and wakes
    /// the worker, which posts it right after the transaction commits.
    /// </summary>
    /// <returns>The alert's id.</returns>
    public long Urge(DbConnection connection, DbTransaction transaction, long ticketId, string? note, string actor)
    {
        var ticket = TicketSql.Find(connection, transaction, ticketId) ?? throw TicketException.NotFound(TicketReference.Format(ticketId));
        var now = time.GetUtcNow();
        var reason = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        var text = _english
            ? $"[urge] {ticket.Ref} {Names.Of(ticket.Kind)} \"{ticket.Subject}\" urged by {actor}" + (reason is null ? "" : $": {reason}")
                + (ticket.ResolveDueAt is { } due ? $"; due {Local(due)}." : ".")
            : $"【催办】{ticket.Ref} {TemplateModel.KindLabel(ticket.Kind, "zh-CN")}“{ticket.Subject}”被 {actor} 催办" + (reason is null ? "" : $"：{reason.TrimEnd('。')}")
                + (ticket.ResolveDueAt is { } dueAt ? $"；处理时限 {Local(dueAt)}。" : "。");
        // The urge's own instant is its key: every urge alerts, a replay of the same one does not.
        return Raise(connection, transaction, ticketId, AlertKinds.Urge, now, "", text)
            ?? (long)connection.Scalar("SELECT id FROM alerts WHERE ticket_id = @t AND kind = 'urge' AND deadline_at = @d AND cause = ''", transaction, ("@t", ticketId), ("@d", now.ToDb()))!;
    }

    /// <summary>
    /// Raises an alert of <paramref name="kind"/> about <paramref name="cause"/> (e.g. <c>outbox:12</c>),
    /// which happened at <paramref name="at"/>, in the caller's transaction, and wakes the worker once that
    /// transaction has committed: woken before, it would find nothing to post and sleep a whole scan interval.
    /// </summary>
    /// <returns>The new alert's id, or null when this alert was raised before.</returns>
    public long? Raise(DbConnection connection, DbTransaction transaction, long ticketId, string kind, DateTimeOffset at, string cause, string text)
    {
        var id = Insert(connection, transaction, ticketId, kind, at, cause, time.GetUtcNow(), text);
        if (id is not null)
        {
            database.AfterCommit(connection, signal.Wake);
        }

        return id;
    }

    /// <summary>Alerts whose chat post is due.</summary>
    public IReadOnlyList<Alert> PendingWebhook(DateTimeOffset now, int limit) =>
        database.Read(c => Query(c, null, $"WHERE {WebhookDeliveries.DueCondition} ORDER BY id LIMIT {limit}", ("@now", now.ToDb())));

    /// <summary>Alerts, newest first; of one ticket when given.</summary>
    public IReadOnlyList<Alert> List(long? ticketId = null, int limit = 1000) =>
        database.Read(c => ticketId is { } t
            ? Query(c, null, $"WHERE ticket_id = @t ORDER BY id DESC LIMIT {limit}", ("@t", t))
            : Query(c, null, $"ORDER BY id DESC LIMIT {limit}"));

    /// <summary>Alerts of the given kinds, newest first.</summary>
    public IReadOnlyList<Alert> ListKinds(IReadOnlyList<string> kinds, int limit = 1000)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        var names = kinds.Select((k, i) => ($"@k{i}", (object?)k)).ToArray();
        return database.Read(c => Query(c, null, $"WHERE kind IN ({string.Join(", ", names.Select(n => n.Item1))}) ORDER BY id DESC LIMIT {limit}", names));
    }

    /// <summary>
    /// Alerts, newest first, of one kind when <paramref name="kind"/> is given, and with
    /// <paramref name="state"/> as the state of either delivery channel (chat or email) when given.
    /// </summary>
    public IReadOnlyList<Alert> Find(string? kind, string? state, int limit = 1000)
    {
        var where = new List<string>();
        var parameters = new List<(string, object?)>();
        if (kind is not null)
        {
            where.Add("kind = @kind");
            parameters.Add(("@kind", kind));
        }

        if (state is not null)
        {
            where.Add("(webhook_state = @state OR email_state = @state)");
            parameters.Add(("@state", state));
        }

        var filter = where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where) + " ";
        return database.Read(c => Query(c, null, $"{filter}ORDER BY raised_at DESC, id DESC LIMIT {limit}", [.. parameters]));
    }

    /// <summary>Records the outcome of a chat post; a failed one waits for the next attempt of the shared backoff.</summary>
    public void MarkWebhook(DbConnection connection, DbTransaction transaction, long alertId, string? error, DateTimeOffset now)
    {
        if (error is null)
        {
            WebhookDeliveries.MarkDelivered(connection, transaction, alertId, now);
            return;
        }

        var webhook = options.Value.Webhook;
        var failed = Convert.ToInt32(connection.Scalar("SELECT webhook_attempts FROM alerts WHERE id = @id", transaction, ("@id", alertId)) ?? 0L, CultureInfo.InvariantCulture) + 1;
        WebhookDeliveries.MarkFailed(connection, transaction, alertId, error, webhook.RetryBackoff().NextAttempt(now, failed), webhook.RetryMaxAttempts);
    }

    /// <summary>Alerts whose chat post or mail failed for good, newest first: the stuck-work page's list.</summary>
    public IReadOnlyList<Alert> FailedDelivery(int limit = 200) => Find(null, AlertStates.Failed, limit);

    /// <summary>
    /// A person's new attempt at an alert whose delivery failed for good (<c>alerts retry</c>, the
    /// console's stuck-work page): a failed chat post is pending again for one more post now, a failed
    /// mail is queued again in the outbox (same Message-ID). The ticket's history names <paramref name="actor"/>.
    /// </summary>
    /// <returns>The channels tried again: <c>chat</c>, <c>email</c> or both.</returns>
    /// <exception cref="TicketException">No such alert, or none of its deliveries failed.</exception>
    public async Task<IReadOnlyList<string>> RetryAsync(long alertId, string actor, CancellationToken cancellationToken = default)
    {
        var channels = await database.WriteAsync((c, tx) =>
        {
            var alert = Query(c, tx, "WHERE id = @id", ("@id", alertId)).SingleOrDefault()
                ?? throw new TicketException(TicketError.NotFound, $"There is no alert {alertId}; 'ticketgw alerts list --state failed' shows the failed ones.");
            var now = time.GetUtcNow();
            var retried = new List<string>();
            if (alert.WebhookState == AlertStates.Failed)
            {
                WebhookDeliveries.RetryNow(c, tx, alertId, now);
                retried.Add("chat");
            }

            if (alert.EmailState == AlertStates.Failed
                && c.Scalar("SELECT o.id FROM outbox o JOIN alerts a ON a.email_ref = o.message_id WHERE a.id = @id AND o.status = 'failed'", tx, ("@id", alertId)) is long outboxId)
            {
                OutboxDelivery.Deliveries.RetryNow(c, tx, outboxId, now);
                c.Execute("UPDATE alerts SET email_state = @s WHERE id = @id", tx, ("@s", AlertStates.Queued), ("@id", alertId));
                retried.Add("email");
            }

            if (retried.Count == 0)
            {
                throw new TicketException(TicketError.Conflict, $"Alert {alertId} has no failed delivery to retry (chat {alert.WebhookState}, email {alert.EmailState}).");
            }

            TicketSql.AppendHistory(c, tx, alert.TicketId, now, actor, "retry", $"{alert.Kind} alert {alertId}: {string.Join(" and ", retried)} delivery tried again");
            return retried;
        }, cancellationToken).ConfigureAwait(false);
        signal.Wake();
        if (channels.Contains("email"))
        {
            outbox?.Wake();
        }

        return channels;
    }

    /// <summary>For the outbox: the alert mail with this Message-ID was sent or refused for good.</summary>
    public static void MarkEmail(DbConnection connection, DbTransaction transaction, string messageId, string state) =>
        connection.Execute("UPDATE alerts SET email_state = @s WHERE email_ref = @m", transaction, ("@s", state), ("@m", messageId));

    /// <summary>
    /// Queues the mail of alerts an older version left in <see cref="AlertStates.AwaitingOutbox"/>, in the
    /// caller's transaction, so the outbox row and the state change commit together.
    /// </summary>
    /// <returns>How many alerts were handed over.</returns>
    public int QueueWaitingEmails(DbConnection connection, DbTransaction transaction, int limit = 100)
    {
        var waiting = Query(connection, transaction, $"WHERE email_state = 'awaiting-outbox' ORDER BY id LIMIT {limit}");
        foreach (var alert in waiting)
        {
            var (state, to, reference) = QueueEmail(connection, transaction, alert.TicketId, alert.Kind, alert.Text, alert.DutyEmail, alert.DeadlineAt);
            connection.Execute("UPDATE alerts SET email_state = @s, email_to = @to, email_ref = @ref WHERE id = @id", transaction,
                ("@s", state), ("@to", to), ("@ref", reference), ("@id", alert.Id));
        }

        return waiting.Count;
    }

    private long? Insert(DbConnection connection, DbTransaction transaction, long ticketId, string kind, DateTimeOffset deadlineAt, string cause, DateTimeOffset now, string what)
    {
        var duty = roster.OnDuty(now);
        var names = duty.Count == 0 ? null : string.Join(", ", duty.Select(p => p.Name));
        var emails = Join(duty.Select(p => p.Email));
        var mobiles = Join(duty.Select(p => p.Mobile));
        var text = what + (_english
            ? (names is null ? " Nobody is on duty." : $" On duty: {names}.")
            : (names is null ? "当前无人值班。" : $"值班人员：{names}。"));
        var id = connection.Scalar(
            """
            INSERT INTO alerts (ticket_id, kind, deadline_at, cause, raised_at, duty_name, duty_email, duty_mobile, text, webhook_state, email_state)
            VALUES (@t, @kind, @deadline, @cause, @now, @name, @email, @mobile, @text, @webhook, 'awaiting-outbox')
            ON CONFLICT (ticket_id, kind, deadline_at, cause) DO NOTHING
            RETURNING id
            """,
            transaction,
            ("@t", ticketId),
            ("@kind", kind),
            ("@deadline", deadlineAt.ToDb()),
            ("@cause", cause),
            ("@now", now.ToDb()),
            ("@name", names),
            ("@email", emails),
            ("@mobile", mobiles),
            ("@text", text),
            ("@webhook", options.Value.Webhook.Enabled ? AlertStates.Pending : AlertStates.Disabled)) as long?;
        if (id is { } alertId)
        {
            TicketSql.AppendHistory(connection, transaction, ticketId, now, Actor, "alert", $"{kind} alert raised to {names ?? "nobody (no one on duty)"}");
            // The mail goes into the outbox in this same transaction: the alert and its mail exist together or not at all.
            var (state, to, reference) = QueueEmail(connection, transaction, ticketId, kind, text, emails, deadlineAt);
            connection.Execute("UPDATE alerts SET email_state = @s, email_to = @to, email_ref = @ref WHERE id = @id", transaction,
                ("@s", state), ("@to", to), ("@ref", reference), ("@id", alertId));
        }

        return id;
    }

    /// <summary>Queues an alert's mail to the people on duty, else Mail:DutyAddress; returns the email state, recipients and Message-ID.</summary>
    private (string State, string? To, string? MessageId) QueueEmail(DbConnection connection, DbTransaction transaction, long ticketId, string kind, string text, string? dutyEmails, DateTimeOffset deadlineAt)
    {
        if (outbox is not { Enabled: true })
        {
            return (AlertStates.Disabled, null, null);
        }

        var to = dutyEmails ?? (string.IsNullOrWhiteSpace(outbox.DutyAddress) ? null : outbox.DutyAddress);
        if (to is null || TicketSql.Find(connection, transaction, ticketId) is not { } ticket)
        {
            return (AlertStates.NoRecipient, null, null);
        }

        var template = kind switch
        {
            AlertKinds.Reminder or AlertKinds.ReplyReminder => TemplateNames.DeadlineReminder,
            AlertKinds.Breach or AlertKinds.ReplyBreach => TemplateNames.BreachAlert,
            _ => TemplateNames.DutyAlert,
        };
        // A deadline alert's mail shows the deadline it is about (first reply, or a requested one), not the ticket's usual one.
        DateTimeOffset? deadline = kind is AlertKinds.Reminder or AlertKinds.ReplyReminder or AlertKinds.Breach or AlertKinds.ReplyBreach ? deadlineAt : null;
        var messageId = outbox.QueueAlert(connection, transaction, ticket, template, kind, text, to.Split(','), deadline);
        return (AlertStates.Queued, to, messageId);
    }

    private static List<Alert> Query(DbConnection c, DbTransaction? tx, string where, params (string, object?)[] parameters)
    {
        using var cmd = c.Command($"SELECT {Columns} FROM alerts {where}", tx, parameters);
        using var r = cmd.ExecuteReader();
        var list = new List<Alert>();
        while (r.Read())
        {
            list.Add(new Alert(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.Instant(3), r.Instant(4), r.StringOrNull(5), r.StringOrNull(6), r.StringOrNull(7),
                r.GetString(8), r.GetString(9), r.GetInt32(10), r.GetString(11), r.StringOrNull(12)));
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
