using Microsoft.Extensions.Logging.Abstractions;
using TicketGateway.TestSupport;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Tests.Functional.Storage;

/// <summary>
/// The leader lease behind "exactly one node polls the mailbox": one holder at a time, timed by the
/// database's clock, a higher token for every new holder, and a fence that refuses the commits of a
/// holder that lost it.
/// </summary>
public abstract class LeasesTests : IAsyncLifetime
{
    private const string Name = "test-lease";
    private readonly string _dir = Directory.CreateTempSubdirectory("tg-lease-").FullName;
    private readonly StoreKind _engine;
    private readonly List<TicketDatabase> _opened = [];

    protected LeasesTests(StoreKind engine) => _engine = engine;

    private TicketDatabase Store => _opened[0];

    public Task InitializeAsync()
    {
        _opened.Add(new TicketDatabase(TestDatabase.Create(_engine, _dir).Options, NullLogger<TicketDatabase>.Instance, createIfMissing: true));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        TestDatabase.ClearPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void TryAcquire_FreeLease_GrantsItAndRefusesAnotherNodeWhileItRuns()
    {
        Assert.Equal(1L, Acquire("node-a", TimeSpan.FromMinutes(1)));
        Assert.Null(Acquire("node-b", TimeSpan.FromMinutes(1)));
        // Renewal by the holder keeps the token.
        Assert.Equal(1L, Acquire("node-a", TimeSpan.FromMinutes(1)));
        var holder = Store.Read(c => Leases.Holder(c, Name));
        Assert.Equal("node-a", holder?.Holder);
        Assert.InRange(holder!.Left, TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task TryAcquire_ExpiredLease_AnotherNodeTakesItWithAHigherTokenAndTheOldHoldersCommitsAreFenced()
    {
        Assert.Equal(1L, Acquire("node-a", TimeSpan.FromMilliseconds(200)));
        Assert.True(await FenceAsync("node-a", 1));
        await Task.Delay(400);

        Assert.Equal(2L, Acquire("node-b", TimeSpan.FromMinutes(1)));

        // node-a was paused past its lease: whatever it tries to commit now is refused, node-b's goes through.
        Assert.False(await FenceAsync("node-a", 1));
        Assert.True(await FenceAsync("node-b", 2));
        Assert.Null(Acquire("node-a", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void Release_ByTheHolder_LetsAnotherNodeTakeItAtOnce()
    {
        Assert.Equal(1L, Acquire("node-a", TimeSpan.FromMinutes(1)));
        Store.Read(c =>
        {
            Leases.Release(c, Name, "node-b"); // not the holder: changes nothing
            return 0;
        });
        Assert.Null(Acquire("node-b", TimeSpan.FromMinutes(1)));

        Store.Read(c =>
        {
            Leases.Release(c, Name, "node-a");
            return 0;
        });
        Assert.Null(Store.Read(c => Leases.Holder(c, Name)));
        Assert.Equal(2L, Acquire("node-b", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task TryAcquire_Steal_TakesARunningLeaseAndFencesThePredecessor()
    {
        Assert.Equal(1L, Acquire("old-process", TimeSpan.FromMinutes(1)));

        Assert.Equal(2L, Store.Read(c => Leases.TryAcquire(c, Name, "new-process", TimeSpan.FromMinutes(1), steal: true)));

        Assert.False(await FenceAsync("old-process", 1));
    }

    private long? Acquire(string holder, TimeSpan ttl) => Store.Read(c => Leases.TryAcquire(c, Name, holder, ttl, steal: false));

    private Task<bool> FenceAsync(string holder, long token) => Store.WriteAsync((c, tx) => Leases.Fence(c, tx, Name, holder, token));
}

public sealed class LeasesTestsOnSqlite() : LeasesTests(StoreKind.Sqlite);

public sealed class LeasesTestsOnPostgres() : LeasesTests(StoreKind.Postgres);
