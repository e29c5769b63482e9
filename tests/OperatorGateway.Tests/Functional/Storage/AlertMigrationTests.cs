using System.Data.Common;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Duty;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Tests.Functional.Storage;

/// <summary>
/// Schema steps 401 (Tickets: duty_alerts) and 403 (the gateway: operator_alerts, once part of 401)
/// on a store written before the alerts were one mechanism.
/// </summary>
public abstract class AlertMigrationTests(StoreKind engine)
{
    [Fact]
    public async Task Step401And403_StoreWithOperatorAndDutyAlerts_MovesThemIntoAlertsAndDropsTheOldTables()
    {
        await using var store = new ModuleStore(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8)), engine);
        var ticket = await store.Service.CreateAsync(new NewTicket(Channel.Phone, TicketKind.Complaint, new Customer(null, null, "13800000001"), "扣费投诉", "text", 1), "test");
        await store.Service.Database.DisposeAsync();

        // Put the store back to how steps 200, 300 and 400 left it, with rows in the old tables
        // (in DDL both engines take: explicit ids instead of AUTOINCREMENT, whose PostgreSQL form differs).
        using (var c = store.Db.OpenConnection())
        {
            c.Execute("""
                DROP INDEX ux_alerts_once_cause;
                ALTER TABLE alerts DROP COLUMN cause;
                ALTER TABLE alerts DROP COLUMN email_to;
                CREATE UNIQUE INDEX ux_alerts_once ON alerts (ticket_id, kind, deadline_at);
                CREATE TABLE operator_alerts (id BIGINT PRIMARY KEY, at BIGINT NOT NULL, kind TEXT NOT NULL,
                    operator_id TEXT NOT NULL, ticket_id BIGINT NULL, detail TEXT NOT NULL, acknowledged_at BIGINT NULL);
                CREATE TABLE duty_alerts (id BIGINT PRIMARY KEY, at BIGINT NOT NULL, kind TEXT NOT NULL,
                    ticket_id BIGINT NULL, outbox_id BIGINT NULL, detail TEXT NOT NULL);
                INSERT INTO operator_alerts (id, at, kind, operator_id, ticket_id, detail) VALUES (1, 1000, 'urge', 'op-a', 1, 'urged');
                INSERT INTO operator_alerts (id, at, kind, operator_id, ticket_id, detail) VALUES (2, 2000, 'undelivered', 'op-a', 1, 'stuck');
                INSERT INTO operator_alerts (id, at, kind, operator_id, ticket_id, detail) VALUES (3, 3000, 'undelivered', 'op-a', NULL, 'no ticket');
                INSERT INTO duty_alerts (id, at, kind, ticket_id, outbox_id, detail) VALUES (1, 4000, 'undelivered', 1, 7, 'refused');
                DELETE FROM schema_migrations WHERE version IN (401, 403);
                """);
        }

        await store.RestartAsync();

        var rows = store.Service.Database.Read(c =>
        {
            using var command = c.Command("SELECT kind, deadline_at, cause, text, webhook_state, email_state FROM alerts WHERE ticket_id = @t ORDER BY deadline_at", null, ("@t", ticket.Id));
            using var r = command.ExecuteReader();
            var list = new List<(string, long, string, string, string, string)>();
            while (r.Read())
            {
                list.Add((r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5)));
            }

            return list;
        });
        Assert.Equal(
            [
                (AlertKinds.Urge, 1000L, "operator_alerts", "urged", AlertStates.Migrated, AlertStates.Migrated),
                (AlertKinds.UndeliveredUpdate, 2000L, "operator_alerts", "stuck", AlertStates.Migrated, AlertStates.Migrated),
                (AlertKinds.UndeliveredMail, 4000L, "outbox:7", "refused", AlertStates.Migrated, AlertStates.Migrated),
            ],
            rows);
        foreach (var dropped in new[] { "operator_alerts", "duty_alerts" })
        {
            Assert.ThrowsAny<DbException>(() => store.Db.Scalar($"SELECT COUNT(*) FROM {dropped}"));
        }
    }
}

public sealed class AlertMigrationTestsOnSqlite() : AlertMigrationTests(StoreKind.Sqlite);

public sealed class AlertMigrationTestsOnPostgres() : AlertMigrationTests(StoreKind.Postgres);
