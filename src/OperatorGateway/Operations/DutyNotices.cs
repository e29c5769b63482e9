using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Options;
using TicketGateway.Tickets.Delivery;
using TicketGateway.Tickets.Duty;
using TicketGateway.Tickets.Replies;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Operations;

/// <summary>
/// Tells the person on duty what concerns no ticket (the inspection report, a fault, its recovery)
/// through the alert channels: the mail goes into the outbox in the caller's transaction (to the
/// people on duty now, else <c>Mail:DutyAddress</c>), the chat post is a row of <c>duty_notices</c>
/// delivered by <see cref="PostPendingAsync"/> with the alerts' robot, backoff and give-up rule.
/// </summary>
internal sealed class DutyNotices(TicketDatabase database, DutyRoster roster, IOptions<AlertsOptions> alerts, WebhookSender webhook, TimeProvider time, Outbox? outbox = null, ReplyOptions? replies = null)
{
    /// <summary>Whether the desk reads English (<c>Replies:DeskLanguage</c> <c>en</c>); else Chinese.</summary>
    public bool English => replies?.DeskLanguage == "en";

    private static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(1);

    public static readonly DeliveryQueue WebhookDeliveries = AlertStore.WebhookQueue("duty_notices");

    // Posts whose claim failed for this node (it may have committed, its answer lost with the store).
    private readonly UncertainClaims _uncertain = new(WebhookDeliveries, database);

    /// <summary>Raises a notice of <paramref name="kind"/> (inspection, fault, recovery) in the caller's transaction; returns its id.</summary>
    public long Raise(DbConnection connection, DbTransaction transaction, string kind, string subject, string text)
    {
        var now = time.GetUtcNow();
        var duty = roster.OnDuty(now);
        var names = duty.Count == 0 ? null : string.Join(", ", duty.Select(p => p.Name));
        var mobiles = Join(duty.Select(p => p.Mobile));
        var to = Join(duty.Select(p => p.Email)) ?? (string.IsNullOrWhiteSpace(outbox?.DutyAddress) ? null : outbox.DutyAddress);
        var (emailState, emailTo) = (outbox is not { Enabled: true }, to) switch
        {
            (true, _) => (AlertStates.Disabled, null),
            (false, null) => (AlertStates.NoRecipient, null),
            _ => (AlertStates.Queued, to),
        };
        if (emailState == AlertStates.Queued)
        {
            outbox!.Queue(connection, transaction, new OutgoingMail
            {
                Purpose = "notice:" + kind,
                To = [.. to!.Split(',').Select(a => new MailRecipient(null, a.Trim()))],
                Content = new RenderedMail(subject, text, null),
                Automatic = true,
            }, "operations");
        }

        return Convert.ToInt64(connection.Scalar(
            """
            INSERT INTO duty_notices (kind, raised_at, subject, text, duty_name, duty_mobile, email_state, email_to, webhook_state)
            VALUES (@kind, @now, @subject, @text, @name, @mobile, @email, @to, @webhook)
            RETURNING id
            """,
            transaction,
            ("@kind", kind),
            ("@now", now.ToDb()),
            ("@subject", subject),
            ("@text", text),
            ("@name", names),
            ("@mobile", mobiles),
            ("@email", emailState),
            ("@to", emailTo),
            ("@webhook", alerts.Value.Webhook.Enabled ? AlertStates.Pending : AlertStates.Disabled)), CultureInfo.InvariantCulture);
    }

    /// <summary>Posts every notice whose chat post is due; returns how many the robot accepted.</summary>
    public async Task<int> PostPendingAsync(CancellationToken cancellationToken)
    {
        if (!alerts.Value.Webhook.Enabled)
        {
            return 0;
        }

        // A claim whose commit failed for this node may have committed all the same: given back at once.
        await _uncertain.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        var due = database.Read(c =>
        {
            using var command = c.Command($"SELECT id, subject, text, duty_mobile, webhook_attempts FROM duty_notices WHERE {WebhookDeliveries.DueCondition} ORDER BY id LIMIT 50", null, ("@now", time.GetUtcNow().ToDb()));
            using var r = command.ExecuteReader();
            var list = new List<(long Id, string Subject, string Text, string? Mobiles, int Attempts)>();
            while (r.Read())
            {
                list.Add((r.GetInt64(0), r.GetString(1), r.GetString(2), r.StringOrNull(3), r.GetInt32(4)));
            }

            return list;
        });
        var sent = 0;
        foreach (var n in due)
        {
            var claimedAt = time.GetUtcNow();
            if (database.Dialect.SharedByNodes && !await _uncertain.ClaimAsync(
                    [n.Id], (c, tx) => WebhookDeliveries.Claim(c, tx, n.Id, claimedAt, claimedAt + ClaimLease), cancellationToken).ConfigureAwait(false))
            {
                continue;   // another node posts this one
            }

            var error = await webhook.SendAsync(n.Subject + "\n" + n.Text, n.Mobiles, cancellationToken).ConfigureAwait(false);
            var settings = alerts.Value.Webhook;
            await database.WriteAsync((c, tx) =>
            {
                var now = time.GetUtcNow();
                if (error is null)
                {
                    WebhookDeliveries.MarkDelivered(c, tx, n.Id, now);
                }
                else
                {
                    WebhookDeliveries.MarkFailed(c, tx, n.Id, error, settings.RetryBackoff().NextAttempt(now, n.Attempts + 1), settings.RetryMaxAttempts);
                }

                return 0;
            }, cancellationToken).ConfigureAwait(false);
            sent += error is null ? 1 : 0;
        }

        return sent;
    }

    /// <summary>An instant as the desk reads it: <c>2026-11-02 09:00</c> in <c>Sla:TimeZone</c>.</summary>
    public string Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, roster.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string? Join(IEnumerable<string?> values)
    {
        var list = values.Where(v => !string.IsNullOrWhiteSpace(v)).ToList();
        return list.Count == 0 ? null : string.Join(",", list);
    }
}
