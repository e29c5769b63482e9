using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TicketGateway.Tickets.Sla;
using TicketGateway.TestSupport;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Tests.Functional;

/// <summary>A real store (a SQLite file in a temporary folder, or a fresh PostgreSQL database), with a fake clock.</summary>
internal sealed class TempStore : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tg-store-").FullName;

    public TempStore(DateTimeOffset now, StoreKind kind = StoreKind.Sqlite)
    {
        Clock = new FakeTimeProvider(now);
        Db = TestDatabase.Create(kind, _dir);
        Service = Open();
    }

    /// <summary>Where the store lives.</summary>
    public TestDatabase Db { get; }

    public FakeTimeProvider Clock { get; }

    public TicketService Service { get; private set; }

    /// <summary>Closes the store and opens it again, as a restarted process would.</summary>
    public async Task RestartAsync()
    {
        await Service.Database.DisposeAsync();
        Service = Open();
    }

    public async ValueTask DisposeAsync()
    {
        await Service.Database.DisposeAsync();
        TestDatabase.ClearPools();
        Directory.Delete(_dir, recursive: true);
    }

    private TicketService Open()
    {
        var sla = new SlaOptions();
        var database = new TicketDatabase(Db.Options, NullLogger<TicketDatabase>.Instance);
        return new TicketService(database, new DeadlineCalculator(CalendarLoader.Load([]), sla.Zone(), sla), Clock, NullLogger<TicketService>.Instance);
    }
}
