using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TicketGateway.Tickets.Delivery;

namespace TicketGateway.Tickets.Duty;

/// <summary>
/// Raises reminders and breach alerts on a <see cref="PeriodicTimer"/> driven by the injected
/// <see cref="TimeProvider"/> (their mail is queued with them), and posts pending alerts to the chat webhook. Woken early by
/// <see cref="AlertSignal"/> (an urge). One failed round is logged and the next tick tries again.
/// </summary>
public sealed class AlertWorker(AlertStore store, WebhookSender webhook, AlertSignal signal, IOptions<AlertsOptions> options, TimeProvider time, ILogger<AlertWorker> logger) : BackgroundService
{
    private const int DeliveryBatch = 50;

    /// <summary>How long a node holds an alert whose chat post it attempts (longer than the post's timeout).</summary>
    private static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(1);
    private readonly UncertainClaims _uncertain = new(AlertStore.WebhookDeliveries, store.Database);
    private long _rounds;

    /// <summary>Rounds finished since start (successful or not), so a caller driving a fake clock can tell a tick was handled.</summary>
    public long Rounds => Interlocked.Read(ref _rounds);

    /// <summary>One round: raise what is due, then deliver what is pending.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        // A write goes through the store's queue after every change already queued, so an urge raised
        // just before the wake-up is committed (and visible) by the time this returns.
        var raised = await store.Database.WriteAsync((c, tx) =>
        {
            store.QueueWaitingEmails(c, tx);
            return store.RaiseDue(c, tx, time.GetUtcNow());
        }, cancellationToken).ConfigureAwait(false);
        if (raised > 0)
        {
            Log.AlertsRaised(logger, raised);
        }

        if (!options.Value.Webhook.Enabled)
        {
            return;
        }

        // A claim whose commit failed for this node may have committed all the same: given back at once.
        await _uncertain.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        foreach (var alert in store.PendingWebhook(time.GetUtcNow(), DeliveryBatch))
        {
            var claimedAt = time.GetUtcNow();
            if (store.Database.Dialect.SharedByNodes && !await _uncertain.ClaimAsync(
                    [alert.Id], (c, tx) => AlertStore.WebhookDeliveries.Claim(c, tx, alert.Id, claimedAt, claimedAt + ClaimLease), cancellationToken).ConfigureAwait(false))
            {
                // Several nodes: another node posts this one.
                continue;
            }

            var error = await webhook.SendAsync(alert, cancellationToken).ConfigureAwait(false);
            if (error is null)
            {
                Log.WebhookSent(logger, alert.Id, alert.Kind, alert.Ref);
            }
            else
            {
                Log.WebhookFailed(logger, alert.Id, alert.WebhookAttempts + 1, error);
            }

            await store.Database.WriteAsync((c, tx) =>
            {
                store.MarkWebhook(c, tx, alert.Id, error, time.GetUtcNow());
                return 0;
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ScanInterval, time);
        Task<bool>? tick = null;
        Task? wake = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.AlertScanFailed(logger, ex);
            }

            Interlocked.Increment(ref _rounds);

            // Keep each pending wait across rounds: a PeriodicTimer allows one waiter at a time.
            tick ??= timer.WaitForNextTickAsync(stoppingToken).AsTask();
            wake ??= signal.WaitAsync(stoppingToken);
            var done = await Task.WhenAny(tick, wake).ConfigureAwait(false);
            if (done == tick)
            {
                if (!await tick.ConfigureAwait(false))
                {
                    return;
                }

                tick = null;
            }
            else
            {
                await wake.ConfigureAwait(false);
                wake = null;
            }
        }
    }
}
