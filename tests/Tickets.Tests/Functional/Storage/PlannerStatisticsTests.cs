using System.Data.Common;
using Microsoft.Extensions.Logging.Abstractions;
using TicketGateway.TestSupport;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Tests.Functional.Storage;

/// <summary>
/// A store that starts empty and then takes thousands of tickets at once (a new desk's first storm, a
/// batch of complaints after an outage): a lookup of a ticket by its key still reads the key's index,
/// not the whole table. On PostgreSQL a prepared statement keeps the plan made while the table held a
/// few rows until the table's statistics change; the gateway's <see cref="PlannerStatistics"/> changes
/// them once the table outgrew them, without waiting for the database's autovacuum (switched off for
/// the table here, so only the gateway can do it). SQLite's lookups by key never depend on statistics.
/// </summary>
public abstract class PlannerStatisticsTests(StoreKind engine)
{
    private const string Lookup = "SELECT owner FROM tickets WHERE id = ";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(8));
    [Fact]
    public async Task TicketsGrowFromAFewToThousands_LookupByKeyReadsTheIndexWithinSeconds()
    {
        await using var store = new TempStore(Now, engine);
        await CreateTicketsAsync(store, 5);
        using var connection = store.Db.OpenConnection();
        if (engine == StoreKind.Postgres)
        {
            // As autovacuum leaves a new desk: statistics of a handful of rows, and (here) no later ANALYZE of its own.
            connection.Execute("ALTER TABLE tickets SET (autovacuum_enabled = false)");
            connection.Execute("ANALYZE tickets");
            // The plan a prepared statement keeps, as the writer's connection prepares it on first use.
            connection.Execute("SET plan_cache_mode = force_generic_plan");
            connection.Execute($"PREPARE lookup(bigint) AS {Lookup}$1");
            Assert.Contains("Seq Scan on tickets", Plan(connection));
        }

        await CreateTicketsAsync(store, 3000);
        if (engine == StoreKind.Postgres)
        {
            // Without the refresh the kept plan goes on reading every row.
            Assert.Contains("Seq Scan on tickets", Plan(connection));
        }

        var statistics = new PlannerStatistics(store.Service.Database, TimeProvider.System, NullLogger<PlannerStatistics>.Instance);
        await statistics.StartAsync(CancellationToken.None);
        try
        {
            var plan = await Eventually.WaitAsync(() => Plan(connection), p => !p.Contains("Seq Scan", StringComparison.Ordinal) && !p.Contains("SCAN tickets", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "the ticket lookup's plan");
            Assert.Contains(engine == StoreKind.Postgres ? "Index Scan using tickets_pkey" : "USING INTEGER PRIMARY KEY", plan);
        }
        finally
        {
            await statistics.StopAsync(CancellationToken.None);
        }
    }

    private string Plan(DbConnection connection)
    {
        var sql = engine == StoreKind.Postgres ? "EXPLAIN EXECUTE lookup(1)" : $"EXPLAIN QUERY PLAN {Lookup}1";
        using var command = connection.Command(sql);
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetValue(reader.FieldCount - 1)?.ToString() ?? "");
        }

        return string.Join(" | ", lines);
    }

    private static async Task CreateTicketsAsync(TempStore store, int count) => await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
        store.Service.CreateAsync(new NewTicket(Channel.Phone, TicketKind.Inquiry, new Customer(null, null, "1390013" + (i % 10000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture)), "问询 " + i, "来电问询"), "test")));
}

public sealed class PlannerStatisticsTestsOnSqlite() : PlannerStatisticsTests(StoreKind.Sqlite);

public sealed class PlannerStatisticsTestsOnPostgres() : PlannerStatisticsTests(StoreKind.Postgres);
