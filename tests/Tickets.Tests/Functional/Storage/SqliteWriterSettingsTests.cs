using TicketGateway.TestSupport;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Tests.Functional.Storage;

/// <summary>
/// SQLite only (PostgreSQL has no sub-journal): every change of a write batch runs in its own savepoint,
/// whose sub-journal the writer keeps in memory (a temporary file cost a write system call per page: a
/// tenth of the mail intake's time, BENCHMARKS.md). A reader's connection keeps the default, so a large
/// sort there still spills to disk instead of memory.
/// </summary>
public sealed class SqliteWriterSettingsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task TheWritersSubJournal_IsInMemory_AReadersTemporaryStoreIsNot()
    {
        await using var store = new TempStore(Now);
        var writer = await store.Service.Database.WriteAsync((c, tx) => Convert.ToInt64(c.Scalar("PRAGMA temp_store", tx), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, writer); // 2 = MEMORY

        using var reader = store.Db.OpenConnection();
        Assert.Equal(0L, Convert.ToInt64(reader.Scalar("PRAGMA temp_store"), System.Globalization.CultureInfo.InvariantCulture));

        // A change that fails after writing rolls back alone through the in-memory sub-journal.
        await store.Service.CreateAsync(new NewTicket(Channel.Phone, TicketKind.Inquiry, new Customer(null, null, "13900130000"), "彩铃问询", "来电问询彩铃业务"), "test");
        var failing = store.Service.Database.WriteAsync<int>((c, tx) =>
        {
            c.Execute("UPDATE tickets SET subject = 'changed'", tx);
            throw new InvalidOperationException("fails after writing");
        });
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("彩铃问询", Convert.ToString(reader.Scalar("SELECT subject FROM tickets"), System.Globalization.CultureInfo.InvariantCulture));
    }
}
