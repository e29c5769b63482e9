using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using TicketGateway.MailIntake.Imap;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Operations;

/// <summary>
/// The desk's instruments (meter <c>TicketGateway</c>), observed from the store when scraped, so they
/// count what every node and the CLI did and survive restarts: mail taken by outcome, the intake's lag
/// (this node's view of the mailbox), tickets by status
/// and kind, complaints at risk and breached, the outbox and the operator updates (depth, oldest age),
/// alert deliveries, and how long the store took to answer. One snapshot (a few aggregate queries)
/// serves all instruments of a scrape. Names and units follow OpenTelemetry's conventions; the
/// Prometheus exporter turns <c>ticketgw.outbox.oldest_age</c> (s) into <c>ticketgw_outbox_oldest_age_seconds</c>.
/// </summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "TicketGateway";

    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(1);
    private readonly TicketDatabase _database;
    private readonly TimeProvider _time;
    private readonly TimeSpan _nearWithin;
    private readonly Lock _lock = new();
    private Snapshot? _snapshot;
    private long _takenAt;

    public GatewayMetrics(TicketDatabase database, TimeProvider time, IMeterFactory meters, Microsoft.Extensions.Options.IOptions<OperationsOptions> options, IntakeLag lag)
    {
        _database = database;
        _time = time;
        _nearWithin = options.Value.DeadlineNearWithin;
        var meter = meters.Create(MeterName);
        meter.CreateObservableCounter("ticketgw.mail.taken", () => Read().Mail, "{mail}", "Mails taken from the mailbox, by outcome (created, threaded, quarantined, ignored, ...)");
        // This node's own view of the mailbox, not the store's: reported by the node that polls it.
        meter.CreateObservableGauge("ticketgw.mail.intake.lag", () => lag.Seconds is { } seconds ? [new Measurement<double>(seconds)] : Array.Empty<Measurement<double>>(),
            "s", "How long the oldest mail in the intake folder has waited to be taken (0 when none)");
        meter.CreateObservableGauge("ticketgw.tickets", () => Read().Tickets, "{ticket}", "Tickets by status and kind");
        meter.CreateObservableGauge("ticketgw.complaints.deadline", () => Read().Deadlines, "{complaint}", "Running complaints at risk (due within Operations:DeadlineNearWithin) and breached");
        meter.CreateObservableGauge("ticketgw.outbox.depth", () => Read().OutboxDepth, "{mail}", "Mails waiting to be sent");
        meter.CreateObservableGauge("ticketgw.outbox.oldest_age", () => Read().OutboxOldest, "s", "Age of the oldest mail waiting to be sent (0 when none)");
        meter.CreateObservableGauge("ticketgw.operator.updates.pending", () => Read().UpdatesPending, "{update}", "Updates waiting for delivery, per operator");
        meter.CreateObservableGauge("ticketgw.operator.updates.oldest_age", () => Read().UpdatesOldest, "s", "Age of the oldest undelivered update, per operator");
        meter.CreateObservableCounter("ticketgw.alert.deliveries", () => Read().Alerts, "{alert}", "Alerts by channel (chat, email) and delivery state");
        meter.CreateObservableGauge("ticketgw.store.read.duration", () => Read().ReadSeconds, "s", "How long the store took to answer the metrics' queries");
    }

    private Snapshot Read()
    {
        lock (_lock)
        {
            if (_snapshot is null || Stopwatch.GetElapsedTime(_takenAt) > Fresh)
            {
                _snapshot = Take();
                _takenAt = Stopwatch.GetTimestamp();
            }

            return _snapshot;
        }
    }

    private Snapshot Take()
    {
        var now = _time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        return _database.Read(c =>
        {
            var mail = Rows(c, "SELECT outcome, COUNT(*) FROM mail_inbound GROUP BY outcome", r => new Measurement<long>(r.GetInt64(1), Tag("outcome", r.GetString(0))));
            var tickets = Rows(c, "SELECT status, kind, COUNT(*) FROM tickets GROUP BY status, kind",
                r => new Measurement<long>(r.GetInt64(2), Tag("status", r.GetString(0)), Tag("kind", r.GetString(1))));
            var deadlines = Rows(c, $"""
                SELECT SUM(CASE WHEN resolve_due_at <= {now.ToDb()} THEN 1 ELSE 0 END), SUM(CASE WHEN resolve_due_at > {now.ToDb()} AND resolve_due_at <= {(now + _nearWithin).ToDb()} THEN 1 ELSE 0 END)
                FROM tickets WHERE kind = 'complaint' AND status IN ('new', 'open', 'pending') AND resolve_due_at IS NOT NULL
                """, r => (Breached: r.IsDBNull(0) ? 0 : Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), AtRisk: r.IsDBNull(1) ? 0 : Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture))).Single();
            var outbox = Rows(c, "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE status IN ('queued', 'sending')", r => (Count: r.GetInt64(0), Oldest: r.IsDBNull(1) ? (DateTimeOffset?)null : r.Instant(1))).Single();
            var updates = Rows(c, "SELECT operator_id, COUNT(*), MIN(occurred_at) FROM operator_updates WHERE delivered_at IS NULL GROUP BY operator_id",
                r => (Operator: r.GetString(0), Count: r.GetInt64(1), Oldest: r.Instant(2)));
            var alerts = Rows(c, "SELECT 'chat', webhook_state, COUNT(*) FROM alerts GROUP BY webhook_state UNION ALL SELECT 'email', email_state, COUNT(*) FROM alerts GROUP BY email_state",
                r => new Measurement<long>(r.GetInt64(2), Tag("channel", r.GetString(0)), Tag("state", r.GetString(1))));
            return new Snapshot(
                mail,
                tickets,
                [new(deadlines.AtRisk, Tag("state", "at_risk")), new(deadlines.Breached, Tag("state", "breached"))],
                outbox.Count,
                outbox.Oldest is { } o ? Math.Max(0, (now - o).TotalSeconds) : 0,
                [.. updates.Select(u => new Measurement<long>(u.Count, Tag("operator", u.Operator)))],
                [.. updates.Select(u => new Measurement<double>(Math.Max(0, (now - u.Oldest).TotalSeconds), Tag("operator", u.Operator)))],
                alerts,
                clock.Elapsed.TotalSeconds);
        });
    }

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);

    private static List<T> Rows<T>(System.Data.Common.DbConnection c, string sql, Func<System.Data.Common.DbDataReader, T> read)
    {
        using var command = c.Command(sql);
        using var r = command.ExecuteReader();
        var list = new List<T>();
        while (r.Read())
        {
            list.Add(read(r));
        }

        return list;
    }

    private sealed record Snapshot(
        IReadOnlyList<Measurement<long>> Mail,
        IReadOnlyList<Measurement<long>> Tickets,
        IReadOnlyList<Measurement<long>> Deadlines,
        long OutboxDepth,
        double OutboxOldest,
        IReadOnlyList<Measurement<long>> UpdatesPending,
        IReadOnlyList<Measurement<double>> UpdatesOldest,
        IReadOnlyList<Measurement<long>> Alerts,
        double ReadSeconds);
}
