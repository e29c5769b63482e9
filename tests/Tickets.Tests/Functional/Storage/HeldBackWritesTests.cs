using System.Data.Common;
using TicketGateway.TestSupport;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Tests.Functional.Storage;

/// <summary>
/// On PostgreSQL the store's writer holds back the writes a change does not read the outcome of (history
/// rows, queued updates and mail) and sends them with its next statement, in one round trip. The guarantees
/// stay those of a write sent at once, on both engines: the change reads what it wrote; a held-back write
/// that fails fails the change that made it, alone, with everything that change wrote, whether the next
/// statement is another change's savepoint or the commit; the other changes of the batch commit.
/// </summary>
public abstract class HeldBackWritesTests(StoreKind engine)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(8));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HeldBackWriteFails_ItsChangeAloneRollsBackTheOthersInTheBatchCommit(bool failingChangeLast)
    {
        await using var store = new TempStore(Now, engine);
        var ticket = await store.Service.CreateAsync(new NewTicket(Channel.Phone, TicketKind.Inquiry, new Customer(null, null, "13900130000"), "问询", "来电"), "test");
        var db = store.Service.Database;

        // The writer is held until the others are queued, so that they wait together.
        using var gate = await WriterGate.HoldAsync(db);

        var before = db.WriteAsync((c, tx) => History(c, tx, ticket.Id, "before"));
        Task<long> failing() => db.WriteAsync((c, tx) =>
        {
            History(c, tx, ticket.Id, "undone");
            // Refused by the database (no such ticket) once sent: on PostgreSQL at the next change's savepoint or at the commit.
            TicketSql.AppendHistory(c, tx, ticket.Id + 1000, Now, "test", "orphan", "");
            return 0L;
        });
        var bad = failingChangeLast ? null : failing();
        var after = db.WriteAsync((c, tx) =>
        {
            TicketSql.AppendHistory(c, tx, ticket.Id, Now, "test", "after", "");
            // Read back in the same change, through the writer's cached commands and through a new command.
            var cached = CommandCache.Scalar(c, tx, "SELECT COUNT(*) FROM history WHERE action = @a", ("@a", "after"));
            using var command = c.Command("SELECT COUNT(*) FROM history WHERE action = 'after'", tx);
            return Convert.ToInt64(cached, System.Globalization.CultureInfo.InvariantCulture) * 10 + Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        });
        bad ??= failing();
        gate.Open();

        Assert.True(await gate.Held);
        Assert.Equal(1, await before);
        Assert.Equal(11, await after);
        await Assert.ThrowsAnyAsync<DbException>(() => bad);
        var actions = store.Service.Get(ticket.Ref).History.Select(h => h.Action).ToList();
        Assert.Contains("before", actions);
        Assert.Contains("after", actions);
        Assert.DoesNotContain("undone", actions);
        Assert.Equal(0L, Convert.ToInt64(store.Db.Scalar("SELECT COUNT(*) FROM history WHERE action = 'orphan'"), System.Globalization.CultureInfo.InvariantCulture));

        // The writer goes on: the next change commits.
        Assert.Equal(1, await db.WriteAsync((c, tx) => History(c, tx, ticket.Id, "later")));
        Assert.Contains("later", store.Service.Get(ticket.Ref).History.Select(h => h.Action));
    }

    private static long History(DbConnection c, DbTransaction tx, long ticketId, string action)
    {
        TicketSql.AppendHistory(c, tx, ticketId, Now, "test", action, "");
        return 1;
    }
}

public sealed class HeldBackWritesTestsOnSqlite() : HeldBackWritesTests(StoreKind.Sqlite);

public sealed class HeldBackWritesTestsOnPostgres() : HeldBackWritesTests(StoreKind.Postgres);
