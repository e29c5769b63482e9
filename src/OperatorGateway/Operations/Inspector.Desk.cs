using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using TicketGateway.Tickets.Duty;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Operations;

/// <summary>The desk's queues and obligations: stuck deliveries, quarantine, deadlines, the calendar, certificates, the roster.</summary>
internal sealed partial class Inspector
{
    private (CheckOutcome, string) Outbox()
    {
        var now = time.GetUtcNow();
        var (waiting, stuck, oldest) = Count(
            "SELECT COUNT(*), SUM(CASE WHEN created_at < @cutoff THEN 1 ELSE 0 END), MIN(created_at) FROM outbox WHERE status IN ('queued', 'sending')",
            now - Options.OutboxStuckAfter);
        var text = waiting == 0 ? "no mail waiting to be sent" : $"{waiting} mail(s) waiting to be sent, the oldest {Age(now - oldest!.Value)} old";
        var failed = Convert.ToInt64(database.Read(c => c.Scalar("SELECT COUNT(*) FROM outbox WHERE status = 'failed' AND created_at >= @since", null, ("@since", (now - TimeSpan.FromDays(1)).ToDb()))), CultureInfo.InvariantCulture);
        text += failed == 0 ? "" : $"; {failed} refused for good in the last 24 h (ticketgw outbox list --status failed)";
        return stuck > 0
            ? InspectionCheck.Failed(text + $"; {stuck} unsent longer than {Age(Options.OutboxStuckAfter)} (Operations:OutboxStuckAfter): is the SMTP server reachable?")
            : failed > 0 ? InspectionCheck.Warning(text) : InspectionCheck.Ok(text);
    }

    private (CheckOutcome, string) OperatorUpdates()
    {
        var now = time.GetUtcNow();
        var after = delivery.Value.UndeliveredAlertAfter;
        var (waiting, stuck, oldest) = Count(
            "SELECT COUNT(*), SUM(CASE WHEN occurred_at < @cutoff THEN 1 ELSE 0 END), MIN(occurred_at) FROM operator_updates WHERE delivered_at IS NULL",
            now - after);
        var text = waiting == 0 ? "no update waiting for an operator" : $"{waiting} update(s) waiting for an operator, the oldest {Age(now - oldest!.Value)} old";
        return stuck > 0
            ? InspectionCheck.Failed(text + $"; {stuck} undelivered longer than {Age(after)} (OperatorGateway:Delivery:UndeliveredAlertAfter)")
            : InspectionCheck.Ok(text);
    }

    private (CheckOutcome, string) Alerts()
    {
        var now = time.GetUtcNow();
        var (pending, stuck, _) = Count(
            $"SELECT COUNT(*), SUM(CASE WHEN raised_at < @cutoff THEN 1 ELSE 0 END), MIN(raised_at) FROM alerts WHERE webhook_state = '{AlertStates.Pending}'",
            now - Options.OutboxStuckAfter);
        var failed = Convert.ToInt64(database.Read(c => c.Scalar(
            $"SELECT COUNT(*) FROM alerts WHERE (webhook_state = '{AlertStates.Failed}' OR email_state = '{AlertStates.Failed}') AND raised_at >= @since", null,
            ("@since", (now - TimeSpan.FromDays(1)).ToDb()))), CultureInfo.InvariantCulture);
        var text = $"{pending} chat post(s) pending; {failed} alert(s) undelivered for good in the last 24 h";
        return stuck > 0
            ? InspectionCheck.Failed(text + $"; {stuck} pending longer than {Age(Options.OutboxStuckAfter)}: is Alerts:Webhook:Url reachable?")
            : failed > 0 ? InspectionCheck.Warning(text + " (ticketgw alerts list --state failed)") : InspectionCheck.Ok(text);
    }

    private (CheckOutcome, string) Quarantine()
    {
        var held = Convert.ToInt64(database.Read(c => c.Scalar("SELECT COUNT(*) FROM mail_quarantine WHERE status = 'held'")), CultureInfo.InvariantCulture);
        return held == 0
            ? InspectionCheck.Ok("no mail in quarantine")
            : InspectionCheck.Warning($"{held} mail(s) in quarantine wait for someone to look (ticketgw quarantine list)");
    }

    private (CheckOutcome, string) Complaints()
    {
        var now = time.GetUtcNow();
        var (breached, near) = database.Read(c =>
        {
            using var command = c.Command(
                """
                SELECT SUM(CASE WHEN resolve_due_at <= @now THEN 1 ELSE 0 END), SUM(CASE WHEN resolve_due_at > @now AND resolve_due_at <= @near THEN 1 ELSE 0 END)
                FROM tickets WHERE kind = 'complaint' AND status IN ('new', 'open', 'pending') AND resolve_due_at IS NOT NULL
                """,
                null,
                ("@now", now.ToDb()),
                ("@near", (now + Options.DeadlineNearWithin).ToDb()));
            using var r = command.ExecuteReader();
            r.Read();
            return (r.IsDBNull(0) ? 0 : Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), r.IsDBNull(1) ? 0 : Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture));
        });
        var text = $"{breached} running complaint(s) past their deadline, {near} due within {Age(Options.DeadlineNearWithin)}";
        return breached > 0
            ? InspectionCheck.Failed(text + " (ticketgw sla due)")
            : near > 0 ? InspectionCheck.Warning(text + " (ticketgw sla due)") : InspectionCheck.Ok(text);
    }

    private (CheckOutcome, string) Calendar()
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), roster.Zone).DateTime);
        var years = string.Join(", ", calendar.Years.Select(y => y.Year.ToString(CultureInfo.InvariantCulture)));
        if (calendar.Year(today.Year) is null)
        {
            return InspectionCheck.Failed($"no working calendar for {today.Year} (have: {years}): deadlines in working days are wrong; add it to Sla:CalendarFiles");
        }

        // The State Council usually publishes next year's holidays in November.
        return today.Month >= 11 && calendar.Year(today.Year + 1) is null
            ? InspectionCheck.Warning($"no working calendar for {today.Year + 1} yet (have: {years}); add it to Sla:CalendarFiles once the State Council publishes it")
            : InspectionCheck.Ok($"working calendar for {years}");
    }

    /// <summary>The gateway's own certificates: every Kestrel endpoint's and the default one, read from their files.</summary>
    private (CheckOutcome, string) GatewayCertificates()
    {
        var sections = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(e => (Name: "endpoint " + e.Key, Section: e.GetSection("Certificate")))
            .Append((Name: "default certificate", Section: configuration.GetSection("Kestrel:Certificates:Default")))
            .Where(s => !string.IsNullOrWhiteSpace(s.Section["Path"]))
            .ToList();
        if (sections.Count == 0)
        {
            return InspectionCheck.Ok("no certificate configured for the gateway's endpoints (plain HTTP or HTTP/2)");
        }

        var now = time.GetUtcNow();
        var notes = new List<string>();
        var outcome = CheckOutcome.Ok;
        foreach (var (name, section) in sections)
        {
            var path = section["Path"]!;
            using var certificate = section["KeyPath"] is { Length: > 0 } || path.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".crt", StringComparison.OrdinalIgnoreCase)
                ? X509Certificate2.CreateFromPemFile(path, section["KeyPath"] is { Length: > 0 } key ? key : null)
                : X509CertificateLoader.LoadPkcs12FromFile(path, section["Password"]);
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            var left = notAfter - now;
            notes.Add($"{name} ({path}) valid until {Local(notAfter)}");
            outcome = left <= TimeSpan.Zero ? CheckOutcome.Failed : left < Options.CertificateWarning && outcome == CheckOutcome.Ok ? CheckOutcome.Warning : outcome;
        }

        return (outcome, string.Join("; ", notes) + (outcome == CheckOutcome.Ok ? "" : $"; renew what expires within {Age(Options.CertificateWarning)}"));
    }

    private (CheckOutcome, string) Duty()
    {
        if (roster.People.Count == 0)
        {
            return InspectionCheck.Warning("nobody is on the duty roster (Duty:People): alerts reach Mail:DutyAddress only");
        }

        var now = time.GetUtcNow();
        var gaps = roster.Gaps(now, now + DutyCoverageReport.Horizon);
        if (gaps.Count == 0)
        {
            var onDuty = roster.OnDuty(now);
            return InspectionCheck.Ok($"the coming 7 days are covered; on duty now: {string.Join(", ", onDuty.Select(p => p.Name))}");
        }

        var hours = gaps.Sum(g => (g.To - g.From).TotalHours);
        return InspectionCheck.Warning(string.Create(CultureInfo.InvariantCulture, $"{hours:0.#} h of the coming 7 days have nobody on duty: ") + DutyCoverageReport.Describe(gaps, roster.Zone));
    }

    /// <summary>A count, how many of those are older than <paramref name="cutoff"/>, and the oldest instant.</summary>
    private (long Count, long Older, DateTimeOffset? Oldest) Count(string sql, DateTimeOffset cutoff) => database.Read(c =>
    {
        using var command = c.Command(sql, null, ("@cutoff", cutoff.ToDb()));
        using var r = command.ExecuteReader();
        r.Read();
        return (Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture),
            r.IsDBNull(1) ? 0 : Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture),
            r.IsDBNull(2) ? (DateTimeOffset?)null : r.Instant(2));
    });
}
