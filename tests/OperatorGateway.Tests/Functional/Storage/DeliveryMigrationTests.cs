using System.Data.Common;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Tests.Functional.Storage;

/// <summary>Schema step 201 on a store whose bounces the intake recorded in its own table.</summary>
public abstract class DeliveryMigrationTests(StoreKind engine)
{
    [Fact]
    public async Task Step201_StoreWithMessageDelivery_MarksThoseOutboxMailsFailedAndDropsTheTable()
    {
        await using var store = new ModuleStore(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8)), engine);
        var ticket = await store.Service.CreateAsync(new NewTicket(Channel.Email, TicketKind.Inquiry, new Customer(null, "gone@example.cn", null), "咨询", "text"), "test");
        await store.Service.Database.DisposeAsync();

        // Put the store back to how step 100 left it: a bounced reply recorded in message_delivery, its outbox row 'sent'.
        using (var c = store.Db.OpenConnection())
        {
            c.Execute(
                $"""
                CREATE TABLE message_delivery (message_row_id BIGINT PRIMARY KEY REFERENCES messages (id), status TEXT NOT NULL,
                    detail TEXT NOT NULL, at BIGINT NOT NULL, inbound_id BIGINT NULL);
                INSERT INTO messages (ticket_id, direction, at, body_text, message_id) VALUES ({ticket.Id}, 'outbound', 1000, 'ack', 'bounced@example.com');
                INSERT INTO messages (ticket_id, direction, at, body_text, message_id) VALUES ({ticket.Id}, 'outbound', 1000, 'ack', 'fine@example.com');
                INSERT INTO outbox (ticket_id, purpose, status, message_id, sender, recipients, subject, mime, created_at, next_attempt_at)
                    VALUES ({ticket.Id}, 'acknowledgement', 'sent', 'bounced@example.com', 's', 'r', 'x', @mime, 1000, 1000);
                INSERT INTO outbox (ticket_id, purpose, status, message_id, sender, recipients, subject, mime, created_at, next_attempt_at)
                    VALUES ({ticket.Id}, 'acknowledgement', 'sent', 'fine@example.com', 's', 'r', 'x', @mime, 1000, 1000);
                INSERT INTO message_delivery (message_row_id, status, detail, at)
                    SELECT id, 'undelivered', '550 5.1.1 user unknown', 2000 FROM messages WHERE message_id = 'bounced@example.com';
                DELETE FROM schema_migrations WHERE version = 201;
                """,
                null,
                ("@mime", new byte[] { 0 }));
        }

        await store.RestartAsync();

        var rows = store.Service.Database.Read(c =>
        {
            using var command = c.Command("SELECT message_id, status, last_error FROM outbox ORDER BY message_id", null);
            using var r = command.ExecuteReader();
            var list = new List<(string, string, string?)>();
            while (r.Read())
            {
                list.Add((r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2)));
            }

            return list;
        });
        Assert.Equal([("bounced@example.com", "failed", "550 5.1.1 user unknown"), ("fine@example.com", "sent", null)], rows);
        Assert.ThrowsAny<DbException>(() => store.Db.Scalar("SELECT COUNT(*) FROM message_delivery"));
    }
}

public sealed class DeliveryMigrationTestsOnSqlite() : DeliveryMigrationTests(StoreKind.Sqlite);

public sealed class DeliveryMigrationTestsOnPostgres() : DeliveryMigrationTests(StoreKind.Postgres);
