using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// Applies the schema steps in <see cref="Schema.Steps"/> that the database has not seen yet,
/// each in its own immediate transaction so two processes starting together cannot both apply one.
/// </summary>
internal static class Migrations
{
    public static void Apply(SqliteConnection connection, ILogger logger)
    {
        connection.Execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER PRIMARY KEY,
                name       TEXT    NOT NULL,
                applied_at INTEGER NOT NULL
            )
            """);

        foreach (var step in Schema.Steps.OrderBy(s => s.Version))
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var applied = connection.Scalar("SELECT 1 FROM schema_migrations WHERE version = $v", transaction, ("$v", step.Version));
            if (applied is not null)
            {
                continue;
            }

            connection.Execute(step.Sql, transaction);
            connection.Execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($v, $n, $t)",
                transaction,
                ("$v", step.Version),
                ("$n", step.Name),
                ("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            transaction.Commit();
            Log.MigrationApplied(logger, step.Version, step.Name);
        }
    }
}

/// <summary>One schema step: applied once, never edited after release.</summary>
internal sealed record SchemaStep(int Version, string Name, string Sql);
