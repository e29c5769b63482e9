using System.Globalization;
using Microsoft.Extensions.Options;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Operations;

/// <summary>
/// Faults between inspections: a failed fault check opens a fault (one open per check, kept in
/// <c>faults</c>, so restarts and several nodes alert once); the mailbox (a refused login does not
/// heal by waiting, and no mail comes in meanwhile) alerts at once, the SMTP server and an operator
/// endpoint once they have been down <c>Operations:FaultAlertAfter</c> (servers restart; replies and
/// updates wait in their outboxes meanwhile, and a short blip pages nobody). When the check passes again
/// the fault closes, with a recovery notice when it was alerted.
/// </summary>
internal sealed class Faults(TicketDatabase database, DutyNotices notices, IOptions<OperationsOptions> options, TimeProvider time, ILogger<Faults> logger)
{
    private bool English => notices.English;

    /// <summary>Records what the fault checks found; returns the notices raised (fault and recovery).</summary>
    public Task<int> ObserveAsync(InspectionReport report, CancellationToken cancellationToken) => database.WriteAsync((c, tx) =>
    {
        var now = time.GetUtcNow();
        var raised = 0;
        foreach (var r in report.Results)
        {
            var open = Open(c, tx, r.Check);
            if (r.Outcome == CheckOutcome.Failed)
            {
                var (id, since, alerted) = open ?? (Convert.ToInt64(c.Scalar(
                    "INSERT INTO faults (check_name, since, detail) VALUES (@c, @now, @d) ON CONFLICT DO NOTHING RETURNING id", tx,
                    ("@c", r.Check), ("@now", now.ToDb()), ("@d", r.Detail)) ?? 0L, CultureInfo.InvariantCulture), now, false);
                var after = r.Check == "imap" ? TimeSpan.Zero : options.Value.FaultAlertAfter;
                if (id != 0 && !alerted && now - since >= after)
                {
                    var subject = English ? $"[fault] {r.Check}" : $"【故障】{r.Check}";
                    var text = (English ? $"{r.Check} has failed since {Local(since)}: " : $"{r.Check} 自 {Local(since)} 起失败：") + r.Detail;
                    notices.Raise(c, tx, "fault", subject, text);
                    Log.FaultRaised(logger, r.Check, since, r.Detail);
                    c.Execute("UPDATE faults SET alerted_at = @now, detail = @d WHERE id = @id", tx, ("@now", now.ToDb()), ("@d", r.Detail), ("@id", id));
                    raised++;
                }
            }
            else if (open is { } fault)
            {
                c.Execute("UPDATE faults SET cleared_at = @now WHERE id = @id", tx, ("@now", now.ToDb()), ("@id", fault.Id));
                if (fault.Alerted)
                {
                    var subject = English ? $"[recovered] {r.Check}" : $"【恢复】{r.Check}";
                    var text = (English ? $"{r.Check} works again since {Local(now)} (failing since {Local(fault.Since)}): " : $"{r.Check} 已于 {Local(now)} 恢复（自 {Local(fault.Since)} 起失败）：") + r.Detail;
                    notices.Raise(c, tx, "recovery", subject, text);
                    Log.FaultCleared(logger, r.Check, r.Detail);
                    raised++;
                }
            }
        }

        return raised;
    }, cancellationToken);

    private static (long Id, DateTimeOffset Since, bool Alerted)? Open(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, string check)
    {
        using var command = c.Command("SELECT id, since, alerted_at FROM faults WHERE check_name = @c AND cleared_at IS NULL", tx, ("@c", check));
        using var r = command.ExecuteReader();
        return r.Read() ? (r.GetInt64(0), r.Instant(1), !r.IsDBNull(2)) : null;
    }

    private string Local(DateTimeOffset at) => notices.Local(at);
}
