using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TicketGateway.Tickets.Sla;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Tests.Functional;

/// <summary>A real SQLite file in a temporary folder, with a fake clock.</summary>
internal sealed class TempStore : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tg-store-").FullName;

    public TempStore(DateTimeOffset now)
    {
        Clock = new FakeTimeProvider(now);
        Service = Open();
    }

    public FakeTimeProvider Clock { get; }

    public TicketService Service { get; private set; }

    public string DbPath => Path.Combine(_dir, "ticketgw.db");

    /// <summary>Closes the store and opens it again, as a restarted process would.</summary>
    public async Task RestartAsync()
    {
        await Service.Database.DisposeAsync();
        Service = Open();
    }

    public async ValueTask DisposeAsync()
    {
        await Service.Database.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private TicketService Open()
    {
        var sla = new SlaOptions();
        var database = new TicketDatabase(new StorageOptions { ConnectionString = $"Data Source={DbPath}" }, NullLogger<TicketDatabase>.Instance);
        return new TicketService(database, new DeadlineCalculator(CalendarLoader.Load([]), sla.Zone(), sla), Clock, NullLogger<TicketService>.Instance);
    }
}
