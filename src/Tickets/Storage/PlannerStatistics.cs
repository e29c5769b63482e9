using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// Keeps the database's query planner up with tables that grow fast (PostgreSQL; nothing to do on
/// SQLite). The hot statements are prepared once and keep the plan made from the table's size at that
/// moment: on a store that started empty, a lookup by key planned as "read the few rows there are" reads
/// the whole table once it holds thousands, every call slower than the last, until the database's
/// autovacuum analyzes it (once a minute at most, by default). Every <see cref="Interval"/> this service
/// refreshes the statistics of any table that grew past twice what the planner knows, which makes the
/// database plan those statements again.
/// </summary>
public sealed class PlannerStatistics(TicketDatabase database, TimeProvider time, ILogger<PlannerStatistics> logger) : BackgroundService
{
    /// <summary>How often the tables' sizes are compared with the planner's.</summary>
    public static TimeSpan Interval { get; } = TimeSpan.FromSeconds(2);

    /// <summary>Refreshes the statistics of the tables that outgrew them, and returns those tables.</summary>
    internal IReadOnlyList<GrownTable> Refresh()
    {
        var refreshed = database.Read(database.Dialect.RefreshStatistics);
        foreach (var table in refreshed)
        {
            Log.StatisticsRefreshed(logger, table.Name, table.Rows, table.Known);
        }

        return refreshed;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!database.Dialect.HasPlannerStatistics)
        {
            return;
        }

        var failing = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
                try
                {
                    Refresh();
                    failing = false;
                }
                catch (Exception ex) when (ex is DbException or TimeoutException or InvalidOperationException)
                {
                    // The store is away (its outage is reported elsewhere) or a table was locked: the next round tries again.
                    if (!failing)
                    {
                        Log.StatisticsRefreshFailed(logger, ex.Message);
                    }

                    failing = true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
