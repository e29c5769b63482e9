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
/// SQLite only: the fixture is a SQLite file (<see cref="StoreSchemaTests"/> runs the schema steps on both engines).
/// </summary>
public sealed class StoreUpgradeTests : IDisposable
{
    private readonly TempDir _dir = new();

    private readonly TestDatabase _fixture;
    private readonly TestDatabase _fresh;

    public StoreUpgradeTests()
    {
        _fixture = TestDatabase.Create(StoreKind.Sqlite, Path.Combine(_dir.Path, "data"));
        _fresh = TestDatabase.Create(StoreKind.Sqlite, Path.Combine(_dir.Path, "fresh"));
    }

    private string Fixture => _fixture.FilePath!;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Open_StoreWrittenByRelease41379f3_KeepsEveryTicketMessageMailAndUpdateAndRecordsChecksums()
    {
        CopyFixture();
        Assert.DoesNotContain(SchemaSnapshot.Rows(_fixture, "SELECT name FROM pragma_table_info('schema_migrations')", r => r.GetString(0)), c => c == "checksum");

        await using (var store = ServedStore.Open(_fixture))
        {
            var tickets = store.Services.GetRequiredService<TicketService>();
            var email = tickets.Get("TG-000001");
            Assert.Equal(("投诉：话费被多扣", Channel.Email, "zhangsan@example.cn"), (email.Ticket.Subject, email.Ticket.Channel, email.Ticket.Customer.Email));
            Assert.Equal(4, email.Messages.Count);
            Assert.Equal(Channel.Phone, tickets.Get("TG-000006").Ticket.Channel);
            Assert.Equal("宽带频繁掉线", tickets.Get("TG-000006").Ticket.Subject);
            // Step 511 indexed the tickets and messages already there: a three- and a two-character term.
            var search = store.Services.GetRequiredService<TicketSearch>();
            Assert.Contains("TG-000001", search.Search("话费被多扣").Select(h => h.Ticket.Ref));
            Assert.Contains("TG-000006", search.Search("宽带").Select(h => h.Ticket.Ref));
            var queued = Assert.Single(store.Services.GetRequiredService<Outbox>().List(OutboxStatus.Queued));
            Assert.Equal(("agent-reply", 2L, "e1a419efe4e44bc5b1291a9c6a6b8a05@example.com"), (queued.Purpose, queued.TicketId ?? 0, queued.MessageId));
        }

        Assert.Equal(
            [("email", 2L), ("operator", 3L), ("phone", 1L)],
            SchemaSnapshot.Rows(_fixture, "SELECT channel, COUNT(*) FROM tickets GROUP BY channel ORDER BY channel", r => (r.GetString(0), r.GetInt64(1))));
        Assert.Equal(11, SchemaSnapshot.Count(_fixture, "SELECT COUNT(*) FROM messages"));
        Assert.Equal(28, SchemaSnapshot.Count(_fixture, "SELECT COUNT(*) FROM history"));
        Assert.Equal(
            [("queued", 1L), ("sent", 10L)],
            SchemaSnapshot.Rows(_fixture, "SELECT status, COUNT(*) FROM outbox GROUP BY status ORDER BY status", r => (r.GetString(0), r.GetInt64(1))));
        Assert.Equal(
            ["fx-c1@example.cn", "fx-e1@example.net", "fx-c2@example.cn"],
            SchemaSnapshot.Rows(_fixture, "SELECT message_id FROM mail_inbound ORDER BY id", r => r.GetString(0)));
        Assert.Equal(
            ["FX-1001", "FX-1002", "FX-2001"],
            SchemaSnapshot.Rows(_fixture, "SELECT order_id FROM operator_complaints ORDER BY order_id", r => r.GetString(0)));
        // Step 541 named who recorded each outbound message from the history line written with it:
        // the acknowledgements the intake ('mail'), the agent replies the CLI ('cli').
        Assert.Equal(
            [(2L, "mail"), (4L, "mail"), (10L, "cli"), (11L, "cli")],
            SchemaSnapshot.Rows(_fixture, "SELECT id, actor FROM messages WHERE direction = 'outbound' ORDER BY id", r => (r.GetInt64(0), r.GetString(1))));
        // Step 523 moved the complaints' files into the one attachments table, onto each complaint's first message.
        Assert.Equal(
            [(3L, "bill.txt", 15L, true), (4L, "bill.txt", 15L, true), (5L, "bill.txt", 15L, true)],
            SchemaSnapshot.Rows(
                _fixture,
                "SELECT a.ticket_id, a.name, a.size, a.message_id = (SELECT MIN(m.id) FROM messages m WHERE m.ticket_id = a.ticket_id) FROM attachments a ORDER BY a.ticket_id",
                r => (r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetBoolean(3))));
        Assert.Equal(
            [("FX-1001", 1L, "accepted", true), ("FX-1002", 1L, "accepted", true), ("FX-1002", 2L, "resolved", true), ("FX-2001", 1L, "accepted", true), ("FX-2001", 2L, "resolved", false)],
            SchemaSnapshot.Rows(_fixture, "SELECT order_id, sequence, kind, delivered_at IS NOT NULL FROM operator_updates ORDER BY order_id, sequence", r => (r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetBoolean(3))));
        Assert.Equal(
            [("urge", 3L)],
            SchemaSnapshot.Rows(_fixture, "SELECT kind, ticket_id FROM alerts", r => (r.GetString(0), r.GetInt64(1))));

        // Every step recorded with the code's checksum: the old ones backfilled, 403 to 405, 501, 511, 521 to 523, 531, 532, 541, 551, 561, 591, 611, 612, 631, 641, 651, 661 and 671 applied now.
        await ServedStore.Open(_fresh).DisposeAsync();
        var checksums = SchemaSnapshot.Checksums(_fixture);
        Assert.Equal([1L, 100, 101, 200, 201, 300, 400, 401, 402, 403, 404, 405, 501, 511, 521, 522, 523, 531, 532, 541, 551, 561, 591, 611, 612, 631, 641, 651, 661, 671], checksums.Select(c => c.Version));
        Assert.Equal(SchemaSnapshot.Checksums(_fresh), checksums);
    }

    [Fact]
    public async Task Open_UpgradedStoreAgain_ChangesNothing()
    {
        CopyFixture();
        await ServedStore.Open(_fixture).DisposeAsync();
        var migrations = SchemaSnapshot.Migrations(_fixture);
        var objects = SchemaSnapshot.Objects(_fixture);

        await ServedStore.Open(_fixture).DisposeAsync();

        Assert.Equal(migrations, SchemaSnapshot.Migrations(_fixture));
        Assert.Equal(objects, SchemaSnapshot.Objects(_fixture));
        Assert.All(migrations, m => Assert.Matches("^[0-9a-f]{64}$", m.Checksum));
    }

    [Fact]
    public async Task Open_FreshStoreAndUpgradedRelease41379f3Store_EndWithTheSameSchema()
    {
        CopyFixture();
        await ServedStore.Open(_fixture).DisposeAsync();
        await ServedStore.Open(_fresh).DisposeAsync();

        Assert.Equal(SchemaSnapshot.Objects(_fresh), SchemaSnapshot.Objects(_fixture));
        Assert.DoesNotContain(SchemaSnapshot.Objects(_fresh), o => o.Contains("operator_alerts", StringComparison.Ordinal) || o.Contains("duty_alerts", StringComparison.Ordinal) || o.Contains("message_delivery", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cli_StoreWithAnEditedStep_ExitsTwoWithOneLineNamingTheStep()
    {
        CopyFixture();
        await ServedStore.Open(_fixture).DisposeAsync();
        SchemaSnapshot.Execute(_fixture, "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 101");

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
