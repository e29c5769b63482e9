using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Tests.Functional.Storage;

/// <summary>
/// Several gateway nodes starting together on one PostgreSQL database. PostgreSQL only: a SQLite
/// store is one file on one machine, and its schema steps are serialised by SQLite's own write lock.
/// </summary>
public sealed class PostgresMigrationsTests
{
    [PostgresFact]
    public async Task Open_TwoStoresAtTheSameMomentOnAnEmptyDatabase_ApplyEachSchemaStepOnce()
    {
        var options = new StorageOptions { Provider = "PostgreSQL", ConnectionString = PostgresServer.Shared.CreateDatabase() };
        using var start = new Barrier(2);

        // Own threads, so neither open waits for a pool thread while the other is already past the barrier.
        var opens = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                return new TicketDatabase(options, NullLogger<TicketDatabase>.Instance);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        var stores = await Task.WhenAll(opens);
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }

        var applied = new List<long>();
        await using (var connection = new NpgsqlConnection(options.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT version FROM schema_migrations ORDER BY version", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                applied.Add(reader.GetInt64(0));
            }
        }

        Assert.Equal(Migrations.Ordered([]).Select(s => (long)s.Version), applied);
    }
}
