using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Replies;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Tests.Functional.Storage;

/// <summary>
/// Issue 10, point 4: the store committed in TestData/upgrade (written by release 41379f3, see its
/// README) upgrades in place; fresh and upgraded stores end alike; an edited step stops start-up.
/// </summary>
public sealed class StoreUpgradeTests : IDisposable
{
    private readonly TempDir _dir = new();

    private string Fixture => Path.Combine(_dir.Path, "data", "ticketgw.db");

    private string Fresh => Path.Combine(_dir.Path, "fresh", "ticketgw.db");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Open_StoreWrittenByRelease41379f3_KeepsEveryTicketMessageMailAndUpdateAndRecordsChecksums()
    {
        CopyFixture();
        Assert.DoesNotContain(SchemaSnapshot.Rows(Fixture, "SELECT name FROM pragma_table_info('schema_migrations')", r => r.GetString(0)), c => c == "checksum");

        await using (var store = ServedStore.Open(Fixture))
        {
            var tickets = store.Services.GetRequiredService<TicketService>();
            var email = tickets.Get("TG-000001");
            Assert.Equal(("投诉：话费被多扣", Channel.Email, "zhangsan@example.cn"), (email.Ticket.Subject, email.Ticket.Channel, email.Ticket.Customer.Email));
            Assert.Equal(4, email.Messages.Count);
            Assert.Equal(Channel.Phone, tickets.Get("TG-000006").Ticket.Channel);
            Assert.Equal("宽带频繁掉线", tickets.Get("TG-000006").Ticket.Subject);
            var queued = Assert.Single(store.Services.GetRequiredService<Outbox>().List(OutboxStatus.Queued));
            Assert.Equal(("agent-reply", 2L, "e1a419efe4e44bc5b1291a9c6a6b8a05@example.com"), (queued.Purpose, queued.TicketId ?? 0, queued.MessageId));
        }

        Assert.Equal(
            [("email", 2L), ("operator", 3L), ("phone", 1L)],
            SchemaSnapshot.Rows(Fixture, "SELECT channel, COUNT(*) FROM tickets GROUP BY channel ORDER BY channel", r => (r.GetString(0), r.GetInt64(1))));
        Assert.Equal(11, SchemaSnapshot.Count(Fixture, "SELECT COUNT(*) FROM messages"));
        Assert.Equal(28, SchemaSnapshot.Count(Fixture, "SELECT COUNT(*) FROM history"));
        Assert.Equal(
            [("queued", 1L), ("sent", 10L)],
            SchemaSnapshot.Rows(Fixture, "SELECT status, COUNT(*) FROM outbox GROUP BY status ORDER BY status", r => (r.GetString(0), r.GetInt64(1))));
        Assert.Equal(
            ["fx-c1@example.cn", "fx-e1@example.net", "fx-c2@example.cn"],
            SchemaSnapshot.Rows(Fixture, "SELECT message_id FROM mail_inbound ORDER BY id", r => r.GetString(0)));
        Assert.Equal(
            ["FX-1001", "FX-1002", "FX-2001"],
            SchemaSnapshot.Rows(Fixture, "SELECT order_id FROM operator_complaints ORDER BY order_id", r => r.GetString(0)));
        Assert.Equal(3, SchemaSnapshot.Count(Fixture, "SELECT COUNT(*) FROM operator_attachments"));
        Assert.Equal(
            [("FX-1001", 1L, "accepted", true), ("FX-1002", 1L, "accepted", true), ("FX-1002", 2L, "resolved", true), ("FX-2001", 1L, "accepted", true), ("FX-2001", 2L, "resolved", false)],
            SchemaSnapshot.Rows(Fixture, "SELECT order_id, sequence, kind, delivered_at IS NOT NULL FROM operator_updates ORDER BY order_id, sequence", r => (r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetBoolean(3))));
        Assert.Equal(
            [("urge", 3L)],
            SchemaSnapshot.Rows(Fixture, "SELECT kind, ticket_id FROM alerts", r => (r.GetString(0), r.GetInt64(1))));

        // Every step recorded with the code's checksum: the old ones backfilled, 403 applied now.
        await ServedStore.Open(Fresh).DisposeAsync();
        var checksums = SchemaSnapshot.Checksums(Fixture);
        Assert.Equal([1L, 100, 101, 200, 201, 300, 400, 401, 402, 403], checksums.Select(c => c.Version));
        Assert.Equal(SchemaSnapshot.Checksums(Fresh), checksums);
    }

    [Fact]
    public async Task Open_UpgradedStoreAgain_ChangesNothing()
    {
        CopyFixture();
        await ServedStore.Open(Fixture).DisposeAsync();
        var migrations = SchemaSnapshot.Migrations(Fixture);
        var objects = SchemaSnapshot.Objects(Fixture);

        await ServedStore.Open(Fixture).DisposeAsync();

        Assert.Equal(migrations, SchemaSnapshot.Migrations(Fixture));
        Assert.Equal(objects, SchemaSnapshot.Objects(Fixture));
        Assert.All(migrations, m => Assert.Matches("^[0-9a-f]{64}$", m.Checksum));
    }

    [Fact]
    public async Task Open_FreshStoreAndUpgradedRelease41379f3Store_EndWithTheSameSchema()
    {
        CopyFixture();
        await ServedStore.Open(Fixture).DisposeAsync();
        await ServedStore.Open(Fresh).DisposeAsync();

        Assert.Equal(SchemaSnapshot.Objects(Fresh), SchemaSnapshot.Objects(Fixture));
        Assert.DoesNotContain(SchemaSnapshot.Objects(Fresh), o => o.Contains("operator_alerts", StringComparison.Ordinal) || o.Contains("duty_alerts", StringComparison.Ordinal) || o.Contains("message_delivery", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Open_TicketsAloneFirstThenEveryModule_EndsWithTheSameSchemaAsAFreshStore()
    {
        // A tool that registers only AddTickets() (StoreWriter, the KPI benchmark) creates the store;
        // the gateway opens it later and applies the modules' steps then.
        var early = Path.Combine(_dir.Path, "early", "ticketgw.db");
        await new TicketDatabase(new StorageOptions { ConnectionString = $"Data Source={early}" }, NullLogger<TicketDatabase>.Instance).DisposeAsync();
        Assert.Equal([1L, 200, 400, 401, 402], SchemaSnapshot.Checksums(early).Select(c => c.Version));

        await ServedStore.Open(early).DisposeAsync();
        await ServedStore.Open(Fresh).DisposeAsync();

        Assert.Equal(SchemaSnapshot.Objects(Fresh), SchemaSnapshot.Objects(early));
        Assert.Equal(SchemaSnapshot.Checksums(Fresh), SchemaSnapshot.Checksums(early));
    }

    [Fact]
    public async Task Open_StepAppliedFromOtherSql_ThrowsStoreExceptionNamingTheStep()
    {
        await ServedStore.Open(Fresh).DisposeAsync();
        SchemaSnapshot.Execute(Fresh, "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 300");

        var ex = Assert.Throws<StoreException>(() => ServedStore.Open(Fresh));

        Assert.Contains("schema step 300 \"operator complaints, attachments, update outbox, alerts\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains(Fresh, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task Cli_StoreWithAnEditedStep_ExitsTwoWithOneLineNamingTheStep()
    {
        CopyFixture();
        await ServedStore.Open(Fixture).DisposeAsync();
        SchemaSnapshot.Execute(Fixture, "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 101");

        var result = await GatewayProcess.RunCliAsync(_dir.Path, "tickets", "list");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("schema step 101 \"mail intake: when each mail reached the mailbox\"", line, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    private void CopyFixture()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Fixture)!);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "TestData", "upgrade", "release-41379f3.db"), Fixture);
    }
}
