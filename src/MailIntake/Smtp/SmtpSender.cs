using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MimeKit;
using TicketGateway.Tickets.Delivery;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.MailIntake.Smtp;

/// <summary>
/// Delivers the outbox through MailKit's <see cref="SmtpClient"/>. Each mail is marked
/// <c>sending</c> (committed) before its SMTP transaction and <c>sent</c> right after the server's
/// acceptance, so a crash can only leave a mail in <c>sending</c>; at start-up such mail is sent
/// again with the same stored bytes and Message-ID. Temporary failures (server down, 4xx) wait
/// as the shared <see cref="BackoffPolicy"/> says (<c>Mail:Smtp:RetryBaseDelay</c> to <c>RetryMaxDelay</c>); a permanent 5xx refusal marks the mail failed and alerts
/// the person on duty.
/// </summary>
internal sealed class SmtpSender(Outbox outbox, SmtpOptions options, TimeProvider time, ILogger<SmtpSender> logger) : BackgroundService
{
    private const int QuickLooks = 10;
    private static readonly TimeSpan RequeueInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan QuickLook = TimeSpan.FromMilliseconds(20);

    // On shutdown, a mail already on the wire is given this long to be answered and recorded (the host
    // waits 30 s in all): cancelling it at once could leave a mail the server accepted unrecorded, and it
    // would go out a second time at the next start.
    private static readonly TimeSpan InFlightGrace = TimeSpan.FromSeconds(10);
    private readonly BackoffPolicy _backoff = options.RetryBackoff();

    // Rounds in a row that failed to reach the server: the backoff's attempt count.
    private int _failures;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RequeueInterruptedAsync(startUp: true, stoppingToken);
        using var client = new SmtpClient { Timeout = (int)options.Timeout.TotalMilliseconds };
        var quickLooks = 0;
        var nextRequeue = time.GetUtcNow() + RequeueInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A claim whose commit failed for us (its answer lost with the store) may hold a mail for the
                // whole lease: given back as soon as the store answers again.
                await outbox.Delivery.Uncertain.ReleaseAsync(stoppingToken);

                var due = outbox.Due(options.BatchSize);
                if (due.Count == 0)
                {
                    // The store's writer wakes us after its commit, but a change committed on another
                    // connection wakes us a moment before its commit: look again shortly a few times
                    // rather than only after a full poll interval.
                    if (quickLooks > 0)
                    {
                        quickLooks--;
                        await Task.Delay(QuickLook, time, stoppingToken);
                        continue;
                    }

                    await QuitAsync(client, stoppingToken);
                    if (time.GetUtcNow() >= nextRequeue)
                    {
                        // Several nodes: mail another node claimed and never finished (it died) is taken over.
                        nextRequeue = time.GetUtcNow() + RequeueInterval;
                        await RequeueInterruptedAsync(startUp: false, stoppingToken);
                    }

                    quickLooks = await outbox.WaitAsync(options.PollInterval, stoppingToken) ? QuickLooks : 0;
                    continue;
                }

                quickLooks = 0;

                try
                {
                    await ConnectAsync(client, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Visible in 'outbox list': why the mail waits and until when (the wait below).
                    var delay = _backoff.Delay(++_failures);
                    var until = time.GetUtcNow() + delay;
                    await outbox.Delivery.DeferAsync([.. due.Select(e => e.Id)], "SMTP unavailable: " + ex.Message, until, stoppingToken);
                    await WaitAfterFailureAsync(client, delay, until, ex, stoppingToken);
                    continue;
                }

                foreach (var entry in due)
                {
                    await SendAsync(client, entry, stoppingToken);
                }

                _failures = 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                var delay = _backoff.Delay(++_failures);
                await WaitAfterFailureAsync(client, delay, time.GetUtcNow() + delay, ex, stoppingToken);
            }
        }
    }

    // Waits until `until` (the next attempt the mails were told), not `delay` from whenever the wait
    // begins: the time spent logging and disconnecting, or a clock moved on meanwhile, is not waited twice.
    private async Task WaitAfterFailureAsync(SmtpClient client, TimeSpan delay, DateTimeOffset until, Exception ex, CancellationToken stoppingToken)
    {
        Log.SmtpUnavailable(logger, options.Host, options.Port, delay, ex);
        await DisconnectQuietlyAsync(client);
        if (until - time.GetUtcNow() is { Ticks: > 0 } left)
        {
            await Task.Delay(left, time, stoppingToken);
        }
    }

    private async Task SendAsync(SmtpClient client, OutboxEntry entry, CancellationToken cancellationToken)
    {
        if (!await outbox.Delivery.MarkSendingAsync(entry.Id, cancellationToken))
        {
            return;
        }

        using var stream = new MemoryStream(outbox.Mime(entry.Id));
        var message = await MimeMessage.LoadAsync(stream, cancellationToken);
        using var inFlight = new CancellationTokenSource();
        using var stopping = cancellationToken.Register(() => inFlight.CancelAfter(InFlightGrace));
        try
        {
            await client.SendAsync(message, MailboxAddress.Parse(entry.Sender), entry.Recipients.Select(MailboxAddress.Parse), inFlight.Token);
        }
        catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500)
        {
            var reason = $"{(int)ex.StatusCode} {ex.Message}";
            Log.MailRefused(logger, entry.Id, entry.Purpose, string.Join(", ", entry.Recipients), reason);
            await outbox.Delivery.MarkFailedAsync(entry.Id, reason, CancellationToken.None);
            return;
        }
        catch (SmtpCommandException ex)
        {
            // 4xx: the server is alive but not taking this mail now; the rest of the batch may go.
            var reason = $"{(int)ex.StatusCode} {ex.Message}";
            Log.MailDeferred(logger, entry.Id, entry.Purpose, reason);
            // Its attempts were counted when it was marked sending: the backoff grows per mail.
            await outbox.Delivery.MarkRetryAsync(entry.Id, reason, _backoff.NextAttempt(time.GetUtcNow(), entry.Attempts + 1), CancellationToken.None);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The connection broke; the server may or may not have accepted the mail (MailKit issues
            // 1023, 1875). It goes back to the queue with its Message-ID; the caller reconnects.
            await outbox.Delivery.MarkRetryAsync(entry.Id, ex.Message, time.GetUtcNow(), CancellationToken.None);
            throw;
        }

        await RecordSentAsync(entry, time.GetUtcNow(), inFlight.Token);
        Log.MailSent(logger, entry.Id, entry.Purpose, entry.MessageId);
    }

    // Accepted: record it even if shutdown was requested meanwhile. The store may not answer right now
    // (PostgreSQL restarting): try again with backoff for half the claim's lease, or this node's claim would
    // hold the mail for the whole lease and the mail would then go out a second time.
    private async Task RecordSentAsync(OutboxEntry entry, DateTimeOffset acceptedAt, CancellationToken cancellationToken)
    {
        var giveUpAt = time.GetUtcNow() + (OutboxDelivery.ClaimLease / 2);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await outbox.Delivery.MarkSentAsync(entry.Id, acceptedAt, CancellationToken.None);
                return;
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException && time.GetUtcNow() < giveUpAt)
            {
                // Short waits: the mail is already delivered, and its record should follow the store's return closely.
                var delay = TimeSpan.FromMilliseconds(Math.Min(_backoff.Delay(attempt).TotalMilliseconds, 2_000));
                Log.SentNotRecorded(logger, entry.Id, delay, ex.Message);
                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }

    private async Task ConnectAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        if (client.IsConnected)
        {
            return;
        }

        await client.ConnectAsync(options.Host, options.Port, options.Security, cancellationToken);
        if (!string.IsNullOrEmpty(options.Username))
        {
            await client.AuthenticateAsync(options.Username, options.Password ?? "", cancellationToken);
        }
    }

    private static async Task QuitAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        if (client.IsConnected)
        {
            try
            {
                await client.DisconnectAsync(quit: true, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or ServiceNotConnectedException or ProtocolException or SmtpCommandException)
            {
                // Nothing was in flight; the next round connects afresh.
            }
        }
    }

    private static async Task DisconnectQuietlyAsync(SmtpClient client)
    {
        try
        {
            await client.DisconnectAsync(quit: false, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or ServiceNotConnectedException or ProtocolException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    private async Task RequeueInterruptedAsync(bool startUp, CancellationToken cancellationToken)
    {
        var count = await outbox.Delivery.RequeueInterruptedAsync(startUp, cancellationToken);
        if (count > 0)
        {
            Log.MailRequeued(logger, count);
        }
    }
}
