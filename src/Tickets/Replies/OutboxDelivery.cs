using System.Data.Common;
using TicketGateway.Tickets.Delivery;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Replies;

/// <summary>
/// The delivery side of the <see cref="Outbox"/> (the SMTP sender, bounces, <c>outbox retry</c>): the state
/// changes of delivery through the shared <see cref="DeliveryQueue"/>, each committed before the sender goes on.
/// </summary>
public sealed class OutboxDelivery
{
    private const string Actor = "smtp";
    private readonly Outbox _outbox;
    private readonly TicketService _tickets;
    private readonly ReplyOptions _replies;
    private readonly TimeProvider _time;
    private readonly Func<Duty.AlertStore?> _alerts;

    internal OutboxDelivery(Outbox outbox, TicketService tickets, ReplyOptions replies, TimeProvider time, Func<Duty.AlertStore?> alerts)
    {
        _outbox = outbox;
        _tickets = tickets;
        _replies = replies;
        _time = time;
        _alerts = alerts;
        Uncertain = new UncertainClaims(Deliveries, tickets.Database);
    }

    private TicketDatabase Database => _tickets.Database;

    /// <summary>The outbox as a <see cref="DeliveryQueue"/>: claimed as <c>sending</c>, attempts counted at the claim.</summary>
    public static readonly DeliveryQueue Deliveries = new(new DeliveryTable
    {
        Table = "outbox",
        Attempts = "attempts",
        NextAttemptAt = "next_attempt_at",
        LastError = "last_error",
        DeliveredAt = "sent_at",
        State = "status",
        Pending = "queued",
        Claimed = "sending",
        Delivered = "sent",
        Failed = "failed",
        LastAttemptAt = "last_attempt_at",
        ClaimedBy = "claimed_by",
        ClaimedUntil = "claimed_until",
    });

    /// <summary>
    /// Mails whose claim (<see cref="MarkSendingAsync"/>) failed for this node and may have committed all the same:
    /// the sender gives them back (<see cref="UncertainClaims.ReleaseAsync"/>) once the store answers.
    /// </summary>
    public UncertainClaims Uncertain { get; }

    /// <summary>
    /// Marks a queued row as being handed to SMTP (committed before the SMTP transaction starts).
    /// False when it is no longer queued (sent, failed, or claimed meanwhile). When the claim fails, the mail
    /// is remembered in <see cref="Uncertain"/>.
    /// </summary>
    public Task<bool> MarkSendingAsync(long id, CancellationToken cancellationToken) =>
        Uncertain.ClaimAsync([id], (c, tx) =>
        {
            var now = _time.GetUtcNow();
            return Deliveries.Claim(c, tx, id, now, now + ClaimLease);
        }, cancellationToken);

    /// <summary>
    /// How long a node holds a mail it is handing to SMTP: far beyond one SMTP transaction, so only
    /// a node that died (or hangs) mid-send loses it to another node.
    /// </summary>
    public static TimeSpan ClaimLease { get; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Records that the SMTP server accepted the mail at <paramref name="acceptedAt"/>; a reply to the
    /// customer sets the ticket's first reply time in the same transaction.
    /// </summary>
    public Task MarkSentAsync(long id, DateTimeOffset acceptedAt, CancellationToken cancellationToken) =>
        Database.WriteAsync((c, tx) =>
        {
            Deliveries.MarkDelivered(c, tx, id, acceptedAt);
            using var command = c.Command("SELECT ticket_id, counts_as_reply, purpose, message_id FROM outbox WHERE id = @id", tx, ("@id", id));
            using var r = command.ExecuteReader();
            if (!r.Read())
            {
                return false;
            }

            var (ticketId, countsAsReply, purpose, messageId) = (r.Int64OrNull(0), r.GetInt64(1) != 0, r.GetString(2), r.GetString(3));
            r.Close();
            if (ticketId is { } t && countsAsReply)
            {
                _tickets.RecordFirstReply(c, tx, t, acceptedAt, Actor, purpose + " accepted by SMTP");
            }

            if (Outbox.IsAlert(purpose))
            {
                Duty.AlertStore.MarkEmail(c, tx, messageId, Duty.AlertStates.Sent);
            }

            return true;
        }, cancellationToken);

    /// <summary>Puts a row back in the queue after a temporary failure, keeping its Message-ID.</summary>
    public Task MarkRetryAsync(long id, string error, DateTimeOffset nextAttempt, CancellationToken cancellationToken) =>
        Database.WriteAsync((c, tx) => Deliveries.MarkFailed(c, tx, id, error, nextAttempt), cancellationToken);

    /// <summary>Notes on waiting rows that the server could not be reached, and when the next attempt is; they stay queued.</summary>
    public Task DeferAsync(IReadOnlyCollection<long> ids, string error, DateTimeOffset nextAttempt, CancellationToken cancellationToken) =>
        Database.WriteAsync((c, tx) =>
        {
            foreach (var id in ids)
            {
                Deliveries.Postpone(c, tx, id, error, nextAttempt);
            }

            return ids.Count;
        }, cancellationToken);

    /// <summary>
    /// Marks a row as refused for good: visible in <c>outbox list --status failed</c>, a line in the
    /// ticket's history, and an <c>undelivered-mail</c> alert to the person on duty (see <see cref="Duty.AlertStore"/>).
    /// </summary>
    public Task MarkFailedAsync(long id, string error, CancellationToken cancellationToken) =>
        Database.WriteAsync((c, tx) => Fail(c, tx, id, "refused by the SMTP server", error), cancellationToken);

    /// <summary>
    /// For the intake, in its transaction: a bounce (delivery status notification) of a mail we sent,
    /// found by the bounced mail's Message-ID. The mail is marked failed and alerted as if refused.
    /// Returns the ticket it belongs to, or null when the Message-ID is not one of ours.
    /// </summary>
    public long? RecordBounce(DbConnection connection, DbTransaction transaction, string messageId, string reason)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var row = connection.Scalar("SELECT id FROM outbox WHERE message_id = @m", transaction, ("@m", messageId.Trim('<', '>', ' ')));
        if (row is not long id)
        {
            return null;
        }

        Fail(connection, transaction, id, "bounced", reason);
        return connection.Scalar("SELECT ticket_id FROM outbox WHERE id = @id", transaction, ("@id", id)) as long?;
    }

    private bool Fail(DbConnection c, DbTransaction tx, long id, string how, string error)
    {
        var now = _time.GetUtcNow();
        Deliveries.GiveUp(c, tx, id, error);
        using var command = c.Command("SELECT ticket_id, purpose, recipients, message_id, created_at FROM outbox WHERE id = @id", tx, ("@id", id));
        long? ticketId;
        string purpose, recipients, messageId;
        DateTimeOffset createdAt;
        using (var r = command.ExecuteReader())
        {
            if (!r.Read())
            {
                return false;
            }

            (ticketId, purpose, recipients, messageId, createdAt) = (r.Int64OrNull(0), r.GetString(1), r.GetString(2), r.GetString(3), r.Instant(4));
        }

        var detail = $"{purpose} to {recipients} (outbox {id}) was {how}: {Trim(error)}";
        if (ticketId is { } t)
        {
            TicketSql.AppendHistory(c, tx, t, now, Actor, "undelivered", detail);
        }

        if (Outbox.IsAlert(purpose))
        {
            // An alert's own mail failed: its email state says so; alerting about it would loop.
            Duty.AlertStore.MarkEmail(c, tx, messageId, Duty.AlertStates.Failed);
        }
        else if (ticketId is { } ticket)
        {
            // Once per refused mail (its outbox row is the cause), even when a bounce follows a 5xx.
            _alerts()?.Raise(c, tx, ticket, Duty.AlertKinds.UndeliveredMail, createdAt, "outbox:" + id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _replies.DeskLanguage == "en"
                    ? $"[undelivered mail] {TicketReference.Format(ticket)}: {detail}"
                    : $"【投递失败】{TicketReference.Format(ticket)}：发往 {recipients} 的邮件（{purpose}，outbox {id}）{(how == "bounced" ? "被退回" : "被 SMTP 服务器拒收")}：{Trim(error)}");
        }

        return true;
    }

    /// <summary>
    /// Rows left in <c>sending</c> by a crash go back to the queue: at start-up every such row when
    /// only this process serves the store (SQLite), else (several nodes on PostgreSQL) the rows whose
    /// claim ran out, whichever node held them; nodes call it again from time to time. The server may
    /// have accepted them already; they are sent again with the same Message-ID, so a duplicate can be
    /// recognised. That window (acceptance to our commit) is the only source of duplicates.
    /// </summary>
    /// <param name="startUp">False for the calls after start-up, which do nothing when only this process serves the store.</param>
    /// <param name="cancellationToken">Stops waiting for the commit.</param>
    public Task<int> RequeueInterruptedAsync(bool startUp, CancellationToken cancellationToken) =>
        !startUp && !Database.Dialect.SharedByNodes ? Task.FromResult(0) : Database.WriteAsync(
            (c, tx) => Deliveries.RequeueInterrupted(
                c, tx, "interrupted while sending; sent again with the same Message-ID", Database.Dialect.SharedByNodes ? _time.GetUtcNow() : DateTimeOffset.MaxValue),
            cancellationToken);

    /// <summary>
    /// Queues a failed (or waiting) mail for an immediate new attempt, same Message-ID; the ticket's
    /// history names <paramref name="actor"/> (<c>outbox retry</c>, the console's stuck-work page).
    /// </summary>
    /// <exception cref="TicketException">No such row, or it was sent already.</exception>
    public async Task<OutboxEntry> RetryAsync(long id, string actor, CancellationToken cancellationToken)
    {
        await Database.WriteAsync((c, tx) =>
        {
            using var command = c.Command("SELECT status, ticket_id, purpose, recipients FROM outbox WHERE id = @id", tx, ("@id", id));
            string status, purpose, recipients;
            long? ticketId;
            using (var r = command.ExecuteReader())
            {
                if (!r.Read())
                {
                    throw new TicketException(TicketError.NotFound, $"Outbox mail {id} does not exist.");
                }

                (status, ticketId, purpose, recipients) = (r.GetString(0), r.Int64OrNull(1), r.GetString(2), r.GetString(3));
            }

            if (status is "sent" or "sending")
            {
                throw new TicketException(TicketError.Conflict, $"Outbox mail {id} is {status}; only queued or failed mail can be retried.");
            }

            var now = _time.GetUtcNow();
            Deliveries.RetryNow(c, tx, id, now);
            if (ticketId is { } t)
            {
                TicketSql.AppendHistory(c, tx, t, now, actor, "retry", $"{purpose} to {recipients} (outbox {id}, {status}) queued for a new attempt");
            }

            return id;
        }, cancellationToken).ConfigureAwait(false);
        _outbox.Wake();
        return _outbox.Find(id)!;
    }

    private static string Trim(string error) => DeliveryQueue.Trim(error);
}
