using Microsoft.Data.Sqlite;
using TicketGateway.TestSupport;

namespace TicketGateway.Tickets.Tests.Functional.Search;

/// <summary>
/// SQLite only (PostgreSQL's GIN indexes have no segments): each write batch adds a segment to the FTS5
/// search indexes. Since schema step 671 they are not merged inside the writes (that work fell on whichever
/// change came then: the operator's p99); the writer merges them while nothing is queued. After a run of
/// batches and a moment of quiet, a merge step finds nothing left to merge, and searches find every ticket.
/// </summary>
public sealed class SqliteSearchMergeTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task FortyBatchesThenQuiet_TheWriterMergesTheSearchIndexes()
    {
        await using var store = new TempStore(Now);
        for (var i = 0; i < 40; i++)
        {
            // One batch each: forty segments per index without a merge.
            await store.Service.CreateAsync(new NewTicket(Channel.Phone, TicketKind.Inquiry, new Customer(null, null, "13900130000"), $"彩铃问询 {i}", "来电问询彩铃业务"), "test");
        }

        await Eventually.Until(() => !MergeWouldWork(store, "ticket_search") && !MergeWouldWork(store, "ticket_search_head"), "the search indexes merged between batches");
        Assert.Equal(40, new TicketSearch(store.Service.Database).Search("彩铃", limit: 100).Count);
    }

    // Runs one merge step in a transaction that is rolled back: true when it had segments to merge.
    private static bool MergeWouldWork(TempStore store, string index)
    {
        using var connection = (SqliteConnection)store.Db.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);
        var before = SQLitePCL.raw.sqlite3_total_changes(connection.Handle);
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"INSERT INTO {index} ({index}, rank) VALUES ('merge', 16)";
            command.ExecuteNonQuery();
        }

        var worked = SQLitePCL.raw.sqlite3_total_changes(connection.Handle) - before >= 2;
        transaction.Rollback();
        return worked;
    }
}
