using System.Globalization;
using Microsoft.Extensions.Options;
using TicketGateway.Tickets.Duty;

namespace TicketGateway.OperatorGateway.Operations;

/// <summary>
/// In <c>serve</c>: every <c>Operations:FaultCheckInterval</c> the fault checks (mailbox login, SMTP,
/// operator endpoints) and the pending chat posts of notices; every day at <c>Operations:InspectionTime</c>
/// in <c>Sla:TimeZone</c> the whole inspection, kept and sent to the person on duty (problems first).
/// Waits run on the
/// injected <see cref="TimeProvider"/>; one failed round is logged and the next one tries again.
/// </summary>
internal sealed class OperationsWorker(
    Inspector inspector,
    InspectionHistory history,
    Faults faults,
    DutyNotices notices,
    DutyRoster roster,
    IOptions<OperationsOptions> options,
    TimeProvider time,
    ILogger<OperationsWorker> logger) : BackgroundService
{
    private long _rounds;
    private DateTimeOffset _nextInspection;

    /// <summary>Rounds finished since start, so a caller driving a fake clock can tell a tick was handled.</summary>
    public long Rounds => Interlocked.Read(ref _rounds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The next inspection time: a process started after it waits for tomorrow's (an inspection at
        // every start would mail the person on duty at each restart); `ticketgw inspect` runs one by hand.
        _nextInspection = Next(time.GetUtcNow());
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.OperationsRoundFailed(logger, ex);
            }

            Interlocked.Increment(ref _rounds);
            var wait = _nextInspection - time.GetUtcNow();
            wait = wait < options.Value.FaultCheckInterval ? wait : options.Value.FaultCheckInterval;
            try
            {
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: the daily inspection when due, else the fault checks; then the pending chat posts.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now >= _nextInspection)
        {
            var report = await inspector.RunAsync(null, cancellationToken).ConfigureAwait(false);
            var day = Day(report.StartedAt, out _);
            _nextInspection = Next(now);
            var kept = await history.KeepAndNotifyAsync(report, day, notices, cancellationToken).ConfigureAwait(false);
            if (kept)
            {
                Log.InspectionDone(logger, day, report.Summary);
            }

            // The daily inspection ran the fault checks too: their results count.
            await faults.ObserveAsync(new InspectionReport(report.StartedAt, [.. report.Results.Where(r => Inspector.IsFaultCheck(r.Check))]), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var checks = inspector.FaultChecks();
            if (checks.Count > 0)
            {
                await faults.ObserveAsync(await inspector.RunAsync(checks, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }
        }

        await notices.PostPendingAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The local date of <paramref name="at"/> and that day's inspection instant.</summary>
    private string Day(DateTimeOffset at, out DateTimeOffset inspectionAt)
    {
        var local = TimeZoneInfo.ConvertTime(at, roster.Zone);
        var wall = local.Date + options.Value.InspectionTime;
        inspectionAt = new DateTimeOffset(wall, roster.Zone.GetUtcOffset(wall));
        return local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>The first inspection instant after <paramref name="now"/>.</summary>
    private DateTimeOffset Next(DateTimeOffset now)
    {
        Day(now, out var todayAt);
        if (todayAt > now)
        {
            return todayAt;
        }

        Day(now.AddDays(1), out var tomorrowAt);
        return tomorrowAt;
    }
}
