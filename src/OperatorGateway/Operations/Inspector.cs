using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using TicketGateway.MailIntake.Imap;
using TicketGateway.MailIntake.Intake;
using TicketGateway.OperatorGateway.Operators;
using TicketGateway.OperatorGateway.Updates;
using TicketGateway.Tickets.Duty;
using TicketGateway.Tickets.Sla;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Operations;

/// <summary>
/// The inspection (巡检): every check runs at once, each under its own timeout
/// (<c>Operations:CheckTimeout</c>), so a server that does not answer costs that check alone and a
/// failing check never stops the others. The same checks serve <c>ticketgw inspect</c>, the daily
/// inspection of <c>serve</c> and (the mailbox, SMTP and operator ones) the fault monitor.
/// </summary>
internal sealed partial class Inspector(
    TicketDatabase database,
    IOptions<OperationsOptions> operations,
    IOptions<ImapOptions> imap,
    IOptions<IntakeOptions> intake,
    IOptions<StorageOptions> storage,
    IOptions<DeliveryOptions> delivery,
    IConfiguration configuration,
    WorkingCalendar calendar,
    DutyRoster roster,
    TimeProvider time)
{
    private OperationsOptions Options => operations.Value;

    /// <summary>Every check of the daily inspection, in the order the report lists them.</summary>
    public IReadOnlyList<InspectionCheck> All() =>
    [
        new("store", _ => Task.Run(Store)),
        new("disk:store", _ => Task.Run(StoreDisk)),
        new("disk:spool", _ => Task.Run(SpoolDisk)),
        new("imap", Imap),
        new("smtp", Smtp),
        .. OperatorChecks(),
        new("outbox", _ => Task.Run(Outbox)),
        new("operator-updates", _ => Task.Run(OperatorUpdates)),
        new("alerts", _ => Task.Run(Alerts)),
        new("quarantine", _ => Task.Run(Quarantine)),
        new("complaints", _ => Task.Run(Complaints)),
        new("calendar", _ => Task.FromResult(Calendar())),
        new("tls:gateway", _ => Task.FromResult(GatewayCertificates())),
        new("duty", _ => Task.FromResult(Duty())),
    ];

    /// <summary>The checks whose failure between inspections is a fault: the mailbox login, the SMTP server, each operator endpoint.</summary>
    public IReadOnlyList<InspectionCheck> FaultChecks() => [new("imap", Imap), new("smtp", Smtp), .. OperatorChecks()];

    /// <summary>Whether a check of that name is one of <see cref="FaultChecks"/>.</summary>
    public static bool IsFaultCheck(string name) => name is "imap" or "smtp" || name.StartsWith("operator:", StringComparison.Ordinal);

    /// <summary>Runs <paramref name="checks"/> (every check when null) side by side.</summary>
    public async Task<InspectionReport> RunAsync(IReadOnlyList<InspectionCheck>? checks, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var results = await Task.WhenAll((checks ?? All()).Select(c => RunOneAsync(c, cancellationToken))).ConfigureAwait(false);
        return new InspectionReport(startedAt, results);
    }

    private async Task<CheckResult> RunOneAsync(InspectionCheck check, CancellationToken cancellationToken)
    {
        var timeout = Options.CheckTimeout;
        var clock = Stopwatch.StartNew();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        CheckOutcome outcome;
        string detail;
        try
        {
            // WaitAsync as well as the token: a check blocked in a call that ignores tokens is abandoned, not awaited.
            (outcome, detail) = await Task.Run(() => check.Run(limit.Token), limit.Token).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (ex is TimeoutException or OperationCanceledException))
        {
            (outcome, detail) = (CheckOutcome.Failed, $"no answer within {Seconds(timeout)} (Operations:CheckTimeout)");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            (outcome, detail) = (CheckOutcome.Failed, Describe(ex));
        }

        return new CheckResult(check.Name, outcome, detail, clock.Elapsed);
    }

    /// <summary>An exception as one line: its type's short name only when the message would not say what failed.</summary>
    private static string Describe(Exception ex)
    {
        var inner = ex is AggregateException { InnerException: { } i } ? i : ex;
        var message = inner.Message.Split('\n', 2)[0].Trim();
        return inner is System.Net.Sockets.SocketException or IOException or System.Net.Http.HttpRequestException
            ? message
            : inner.GetType().Name + ": " + message;
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    private static string Age(TimeSpan span) => span.TotalHours >= 48
        ? span.TotalDays.ToString("0.#", CultureInfo.InvariantCulture) + " days"
        : span.TotalMinutes >= 90
            ? span.TotalHours.ToString("0.#", CultureInfo.InvariantCulture) + " h"
            : Math.Max(0, span.TotalMinutes).ToString("0", CultureInfo.InvariantCulture) + " min";

    private string Local(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, roster.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
