using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.MailIntake.Imap;

/// <summary>
/// Decides which node polls the mailbox: the holder of the <c>mail-intake</c> lease. A node tries to
/// take the lease every <see cref="ImapOptions.LeaderLease"/>/5 and, once it holds it, renews it every
/// third of the lease. A term ends when a renewal is refused or cannot be confirmed before the lease
/// would run out; the poller then stops, and the fencing token in every batch's transaction keeps a
/// node that was paused past its lease from committing anything. A node stopping gives the lease up,
/// so another takes over at its next attempt; a node killed is taken over once its lease expires.
/// Timing is real time (the database's clock for expiry), whatever clock the rest of the process uses.
/// </summary>
internal sealed class MailboxLeadership(TicketDatabase database, IOptions<ImapOptions> options, ILogger<MailboxLeadership> logger) : BackgroundService, IHealthCheck
{
    /// <summary>The lease's name in the <c>leases</c> table.</summary>
    public const string LeaseName = "mail-intake";

    private readonly TimeSpan _ttl = options.Value.LeaderLease;
    private readonly Lock _lock = new();
    private LeaderTerm? _term;
    private TaskCompletionSource<LeaderTerm> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string _status = "Mail intake: no node leads it yet.";

    /// <summary>Waits until this node leads mail intake; the term's token is cancelled when it no longer does.</summary>
    public async Task<LeaderTerm> WaitForTermAsync(CancellationToken cancellationToken)
    {
        Task<LeaderTerm> next;
        lock (_lock)
        {
            if (_term is { IsLost: false } current)
            {
                return current;
            }

            next = _next.Task;
        }

        return await next.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Healthy either way (a standby node serves gRPC as well); its data <c>leadsMailbox</c> says whether this node polls the mailbox.</summary>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        bool leads;
        lock (_lock)
        {
            leads = _term is { IsLost: false };
        }

        return Task.FromResult(HealthCheckResult.Healthy(_status, new Dictionary<string, object> { ["leadsMailbox"] = leads }));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            _status = "Mail intake is off (no Mail:Imap:Host).";
            return;
        }

        // On a store only this process serves, whatever holds the lease is this process's predecessor.
        var steal = !database.Dialect.SharedByNodes;
        var grantedAt = 0L;
        while (!stoppingToken.IsCancellationRequested)
        {
            var attempt = Stopwatch.GetTimestamp();
            TimeSpan wait;
            try
            {
                var token = database.Read(c => Leases.TryAcquire(c, LeaseName, NodeIdentity.Id, _ttl, steal));
                steal = false;
                if (token is { } granted)
                {
                    // The lease runs from before the statement was sent at the latest.
                    grantedAt = attempt;
                    Begin(granted);
                    wait = _ttl / 3;
                }
                else
                {
                    End("another node holds the lease");
                    var holder = database.Read(c => Leases.Holder(c, LeaseName));
                    _status = holder is null
                        ? $"Mail intake: the lease is free; node {NodeIdentity.Id} tries to take it."
                        : $"Mail intake is led by node {holder.Holder} (lease token {holder.Token}); node {NodeIdentity.Id} stands by.";
                    wait = _ttl / 5;
                }
            }
            catch (Exception ex) when (ex is DbException or TimeoutException or InvalidOperationException or IOException)
            {
                // Cannot tell whether the lease still holds: stop polling before it could have run out.
                if (_term is not null && Stopwatch.GetElapsedTime(grantedAt) >= _ttl - (_ttl / 5))
                {
                    End("the lease could not be renewed: " + ex.Message);
                }

                Log.LeaseUnreachable(logger, ex.Message);
                wait = _ttl / 5;
            }

            try
            {
                await Task.Delay(wait, TimeProvider.System, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        End("the node is stopping");
        try
        {
            database.Read(c =>
            {
                Leases.Release(c, LeaseName, NodeIdentity.Id);
                return 0;
            });
        }
        catch (Exception ex) when (ex is DbException or TimeoutException or InvalidOperationException or IOException)
        {
            // The lease then expires on its own.
            Log.LeaseUnreachable(logger, ex.Message);
        }
    }

    private void Begin(long token)
    {
        lock (_lock)
        {
            if (_term is { IsLost: false } current && current.Token == token)
            {
                return;
            }

            _term?.Lose();
            _term = new LeaderTerm(token);
            _next.TrySetResult(_term);
            _next = new TaskCompletionSource<LeaderTerm>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _status = $"Mail intake is led by this node, {NodeIdentity.Id} (lease token {token}).";
        Log.LeaderElected(logger, NodeIdentity.Id, token);
    }

    private void End(string why)
    {
        LeaderTerm? ended;
        lock (_lock)
        {
            ended = _term;
            _term = null;
        }

        if (ended is { IsLost: false })
        {
            ended.Lose();
            Log.LeaderLost(logger, NodeIdentity.Id, ended.Token, why);
        }
    }
}

/// <summary>One stretch of this node's leadership: the token its commits are fenced with, and a cancellation when it ends.</summary>
internal sealed class LeaderTerm(long token) : IDisposable
{
    private readonly CancellationTokenSource _lost = new();

    public long Token { get; } = token;

    public CancellationToken Lost => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    public void Lose() => _lost.Cancel();

    public void Dispose() => _lost.Dispose();
}
