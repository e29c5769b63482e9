using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TicketGateway.MailIntake.Intake;
using TicketGateway.OperatorGateway.Complaints;
using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Sla;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Tests.Functional.Storage;

/// <summary>
/// A real store (a SQLite file in a temporary folder, or a fresh PostgreSQL database) with the schema of
/// every module (Tickets, MailIntake, the exchange) and the bare ticket service on a fake clock: for steps
/// that span modules.
/// </summary>
internal sealed class ModuleStore : IAsyncDisposable
{
    private readonly TempDir _dir = new();

    public ModuleStore(DateTimeOffset now, StoreKind engine)
    {
        Clock = new FakeTimeProvider(now);
        Db = TestDatabase.Create(engine, _dir.Path);
        Service = Open();
    }

    public FakeTimeProvider Clock { get; }

    public TicketService Service { get; private set; }

    /// <summary>Where the store lives.</summary>
    public TestDatabase Db { get; }

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
        _dir.Dispose();
    }

    private TicketService Open()
    {
        var sla = new SlaOptions();
        var database = new TicketDatabase(Db.Options, NullLogger<TicketDatabase>.Instance, createIfMissing: true, [IntakeSchema.Module, ExchangeSchema.Module]);
        return new TicketService(database, new DeadlineCalculator(CalendarLoader.Load([]), sla.Zone(), sla), Clock, NullLogger<TicketService>.Instance);
    }
}
