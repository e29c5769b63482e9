using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TicketGateway.MailIntake.Retention;

/// <summary>Runs <see cref="RawMailPurge"/> at start and then every <c>Retention:Interval</c> (a day), in <c>serve</c>.</summary>
internal sealed class RetentionWorker(RawMailPurge purge, RetentionOptions options, TimeProvider time, ILogger logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Interval, time);
        do
        {
            try
            {
                var r = await purge.RunAsync(stoppingToken);
                Log.RetentionPurged(logger, r.Mails, options.RawMailDays, r.QuarantineEntries, options.QuarantineDays, r.SpoolFiles, r.Bytes);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.RetentionFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
