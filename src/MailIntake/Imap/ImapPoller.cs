using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TicketGateway.Tickets.Delivery;

namespace TicketGateway.MailIntake.Imap;

/// <summary>
/// Keeps one IMAP connection to the support mailbox: sweeps the intake folder by UID, then waits
/// in IDLE (or plain sleep when the server has no IDLE) until new mail is announced or the poll
/// interval passes. Events only cut the wait short; the sweep decides what is new. Lost
/// connections are retried with the shared <see cref="BackoffPolicy"/> (<c>Mail:Imap:RetryBaseDelay</c>
/// to <c>RetryMaxDelay</c>); a refused login slowly. It polls only while this node leads mail intake
/// (<see cref="MailboxLeadership"/>), and every batch it commits is fenced with the lease's token.
/// </summary>
internal sealed class ImapPoller(
    IOptions<ImapOptions> options,
    MailboxSweeper sweeper,
    MailboxLeadership leadership,
    IntakeHealth health,
    IntakeLag lag,
    TimeProvider time,
    ILogger<ImapPoller> logger) : BackgroundService
{
    private readonly ImapOptions _options = options.Value;
    private readonly BackoffPolicy _backoff = options.Value.RetryBackoff();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            Log.IntakeDisabled(logger);
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            LeaderTerm term;
            try
            {
                health.Set(HealthStatus.Healthy, "Mail intake stands by: another node leads it (see mail-leader).");
                lag.Unknown();
                term = await leadership.WaitForTermAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, term.Lost);
            await PollWhileLeadingAsync(term, leading.Token);
        }
    }

    private async Task PollWhileLeadingAsync(LeaderTerm term, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            using var client = new ImapClient();
            try
            {
                health.Set(HealthStatus.Degraded, $"Mail intake is connecting to {_options.Host}.");
                await ConnectAsync(client, stoppingToken);
                failures = 0;
                await RunSessionAsync(client, term, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (AuthenticationException ex)
            {
                health.Set(HealthStatus.Unhealthy, $"The IMAP server refused the login of {_options.Username}: {ex.Message}");
                Log.AuthenticationFailed(logger, _options.Host!, _options.Username, ex.Message, _options.AuthRetryInterval);
                await DelayAsync(_options.AuthRetryInterval, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // IOException, SocketException, ImapProtocolException, ImapCommandException, a failed sweep:
                // drop the connection and start over; the store makes the next sweep safe.
                var delay = _backoff.Delay(++failures);
                health.Set(HealthStatus.Degraded, $"Mail intake lost the connection to {_options.Host}: {ex.Message}");
                Log.ConnectionLost(logger, _options.Host!, _options.EffectivePort, ex.GetType().Name + ": " + ex.Message, delay);
                await DelayAsync(delay, stoppingToken);
            }
            finally
            {
                await DisconnectQuietlyAsync(client);
            }
        }
    }

    private async Task ConnectAsync(ImapClient client, CancellationToken cancellationToken)
    {
        client.Timeout = 60_000;
        await client.ConnectAsync(_options.Host!, _options.EffectivePort, _options.SocketOptions, cancellationToken);
        await client.AuthenticateAsync(_options.Username ?? "", _options.Password ?? "", cancellationToken);
    }

    private async Task RunSessionAsync(ImapClient client, LeaderTerm term, CancellationToken stoppingToken)
    {
        var inbox = await client.GetFolderAsync(_options.Folder, stoppingToken);
        var processed = await EnsureFolderAsync(client, _options.ProcessedFolder, stoppingToken);
        var quarantine = await EnsureFolderAsync(client, _options.QuarantineFolder, stoppingToken);
        await inbox.OpenAsync(FolderAccess.ReadWrite, stoppingToken);
        var idle = client.Capabilities.HasFlag(ImapCapabilities.Idle);
        Log.Connected(logger, _options.Host!, _options.EffectivePort, _options.Username, _options.Folder, idle);
        health.Set(HealthStatus.Healthy, $"Mail intake is connected to {_options.Host}.");

        // Set from the event, acted upon after the command returns: MailKit must not be called from its own events.
        CancellationTokenSource? wake = null;
        void OnCountChanged(object? sender, EventArgs e) => wake?.Cancel();
        inbox.CountChanged += OnCountChanged;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Mail that arrived during a sweep is announced while the sweep runs, when nobody waits:
                // sweep again until a sweep finds nothing, then wait.
                int taken;
                do
                {
                    await lag.ObserveAsync(inbox, stoppingToken);
                    taken = await sweeper.SweepAsync(inbox, processed, quarantine, term.Token, stoppingToken);
                }
                while (taken > 0);

                lag.Drained();

                using var waitFor = new CancellationTokenSource(_options.PollInterval < _options.IdleRefresh ? _options.PollInterval : _options.IdleRefresh, time);
                wake = waitFor;
                using var done = CancellationTokenSource.CreateLinkedTokenSource(waitFor.Token, stoppingToken);
                if (idle)
                {
                    await client.IdleAsync(done.Token, stoppingToken);
                }
                else
                {
                    // NOOP after the wait lets the server report new mail (EXISTS) to the next sweep's view of the folder.
                    await DelayAsync(Timeout.InfiniteTimeSpan, done.Token);
                    stoppingToken.ThrowIfCancellationRequested();
                    await client.NoOpAsync(stoppingToken);
                }

                wake = null;
            }
        }
        finally
        {
            inbox.CountChanged -= OnCountChanged;
        }
    }

    private async Task<IMailFolder> EnsureFolderAsync(ImapClient client, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetFolderAsync(name, cancellationToken);
        }
        catch (FolderNotFoundException)
        {
            var root = client.GetFolder(client.PersonalNamespaces[0]) ?? throw new InvalidOperationException("The IMAP server has no personal namespace to create folders in.");
            var created = await root.CreateAsync(name, isMessageFolder: true, cancellationToken)
                ?? throw new InvalidOperationException($"The IMAP server did not create the folder {name}.");
            Log.FolderCreated(logger, created.FullName);
            return created;
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop condition ends it.
        }
    }

    private static async Task DisconnectQuietlyAsync(ImapClient client)
    {
        if (!client.IsConnected)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.DisconnectAsync(quit: true, timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ImapProtocolException or OperationCanceledException or ImapCommandException or ServiceNotConnectedException)
        {
            // The connection is already gone; nothing to tidy.
        }
    }
}
