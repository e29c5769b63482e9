using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// Tells the other nodes that this one is alive: a row <c>node:ID</c> in <c>leases</c> whose
/// <c>expires_at</c> (Unix ms) it pushes <see cref="Lifetime"/> ahead every <see cref="Interval"/>.
/// A claim (<c>claimed_by</c>) of a node whose row ran out was left by a node that died, and other
/// nodes take it over at once instead of waiting for the claim's own, longer lease. The first beat is
/// written before the services that claim start. Only where several nodes share the store.
/// </summary>
public sealed class NodeHeartbeat(TicketDatabase database, TimeProvider time, ILogger<NodeHeartbeat> logger) : BackgroundService
{
    /// <summary>How far ahead each beat says the node is alive.</summary>
    public static TimeSpan Lifetime { get; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the node beats.</summary>
    public static TimeSpan Interval { get; } = TimeSpan.FromSeconds(3);

    /// <summary>Registers the heartbeat once, however many claiming services ask for it; call it before registering them.</summary>
    public static void Add(IServiceCollection services) =>
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, NodeHeartbeat>());

    /// <summary>The SQL condition of a claim whose node stopped beating, at parameter <c>@now</c>, for the claimer column <paramref name="claimedBy"/>.</summary>
    public static string DeadHolder(string claimedBy) =>
        $"NOT EXISTS (SELECT 1 FROM leases l WHERE l.name = 'node:' || {claimedBy} AND l.expires_at > @now)";

    /// <inheritdoc/>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.Dialect.SharedByNodes)
        {
            // Before the claiming services start, so a claim is not seen without its node's beat (unless the
            // store is unreachable now, when nothing can be claimed either).
            Beat();
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!database.Dialect.SharedByNodes)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
                Beat();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void Beat()
    {
        try
        {
            var until = (time.GetUtcNow() + Lifetime).ToUnixTimeMilliseconds();
            database.Read(c => c.Execute(
                """
                INSERT INTO leases (name, holder, token, expires_at) VALUES (@name, @holder, 1, @until)
                ON CONFLICT (name) DO UPDATE SET expires_at = excluded.expires_at
                """,
                null,
                ("@name", "node:" + NodeIdentity.Id),
                ("@holder", NodeIdentity.Id),
                ("@until", until)));
        }
        catch (Exception ex) when (ex is DbException or TimeoutException or InvalidOperationException)
        {
            // Other nodes may take this node's claims over meanwhile; they send with the same Message-ID.
            Log.HeartbeatFailed(logger, ex.Message);
        }
    }
}
