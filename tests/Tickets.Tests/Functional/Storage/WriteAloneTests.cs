using System.Data.Common;
using System.Globalization;
using TicketGateway.TestSupport;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Tests.Functional.Storage;

/// <summary>
/// A change that sets savepoints of its own around many units (the intake's batch of mails) is written
/// alone: in a transaction of its own, with no savepoint of the writer around it, so that on SQLite each
/// unit's savepoint is the outermost one and its pages are let go at each release (nested under the
/// writer's savepoint, a batch of 500 mails kept them all: BENCHMARKS.md). Changes queued around it still
/// commit in their own batches; a unit rolled back to its savepoint keeps nothing; a change written alone
/// that throws keeps nothing, and the writer goes on.
/// </summary>
public abstract class WriteAloneTests(StoreKind engine)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task ChangesWrittenAlone_CommitInTheirOwnTransaction_AFailingOneKeepsNothing()
    {
        await using var store = new TempStore(Now, engine);
        var ticket = await store.Service.CreateAsync(new NewTicket(Channel.Phone, TicketKind.Inquiry, new Customer(null, null, "13900130000"), "问询", "来电"), "test");
        var db = store.Service.Database;

        // The writer is held until the others are queued, so that they wait together.
        using var gate = await WriterGate.HoldAsync(db);

        var before = db.WriteAsync((c, tx) => History(c, tx, ticket.Id, "before"));
        var units = db.WriteAloneAsync((c, tx) =>
        {
            var outermost = engine != StoreKind.Sqlite || !ReleaseSucceeds(c, tx, "c");
            for (var i = 0; i < 3; i++)
            {
                c.Execute("SAVEPOINT unit", tx);
                History(c, tx, ticket.Id, $"unit {i}");
                CommandCache.SendDeferred(c, tx);
                c.Execute(i == 1 ? "ROLLBACK TO SAVEPOINT unit; RELEASE SAVEPOINT unit" : "RELEASE SAVEPOINT unit", tx);
            }

            return outermost;
        });
        var after = db.WriteAsync((c, tx) => History(c, tx, ticket.Id, "after"));
        var failing = db.WriteAloneAsync<long>((c, tx) =>
        {
            History(c, tx, ticket.Id, "undone");
            CommandCache.SendDeferred(c, tx);
            throw new InvalidOperationException("the change fails after writing");
        });
        gate.Open();

        Assert.True(await gate.Held);
        Assert.Equal(1, await before);
        Assert.True(await units, "a change written alone has no savepoint of the writer around it");
        Assert.Equal(1, await after);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("the change fails after writing", error.Message);

        var actions = store.Service.Get(ticket.Ref).History.Select(h => h.Action).ToList();
        Assert.Contains("before", actions);
        Assert.Contains("after", actions);
        Assert.Contains("unit 0", actions);
        Assert.Contains("unit 2", actions);
        Assert.DoesNotContain("unit 1", actions);
        Assert.DoesNotContain("undone", actions);

        // The writer goes on, alone or not.
        Assert.Equal(1, await db.WriteAloneAsync((c, tx) => History(c, tx, ticket.Id, "later alone")));
        Assert.Equal(1, await db.WriteAsync((c, tx) => History(c, tx, ticket.Id, "later")));
        actions = [.. store.Service.Get(ticket.Ref).History.Select(h => h.Action)];
        Assert.Contains("later alone", actions);
        Assert.Contains("later", actions);
        Assert.Equal(1L, Convert.ToInt64(store.Db.Scalar("SELECT COUNT(*) FROM history WHERE action = 'later'"), CultureInfo.InvariantCulture));
    }

    // SQLite only (an error there leaves the transaction usable): true when a savepoint of that name is open.
    private static bool ReleaseSucceeds(DbConnection c, DbTransaction tx, string savepoint)
    {
        try
        {
            c.Execute($"SAVEPOINT probe; RELEASE SAVEPOINT {savepoint}", tx);
            return true;
        }
        catch (DbException)
        {
            c.Execute("ROLLBACK TO SAVEPOINT probe; RELEASE SAVEPOINT probe", tx);
            return false;
        }
    }

    private static long History(DbConnection c, DbTransaction tx, long ticketId, string action)
    {
        TicketSql.AppendHistory(c, tx, ticketId, Now, "test", action, "");
        return 1;
    }
}

public sealed class WriteAloneTestsOnSqlite() : WriteAloneTests(StoreKind.Sqlite);

public sealed class WriteAloneTestsOnPostgres() : WriteAloneTests(StoreKind.Postgres);
