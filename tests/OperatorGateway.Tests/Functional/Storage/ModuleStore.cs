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
/// A real SQLite file in a temporary folder with the schema of every module (Tickets, MailIntake,
/// the exchange) and the bare ticket service on a fake clock: for steps that span modules.
/// </summary>
internal sealed class ModuleStore : IAsyncDisposable
{
    private readonly TempDir _dir = new();

    public ModuleStore(DateTimeOffset now)
    {
        Clock = new FakeTimeProvider(now);
        Service = Open();
    }

    public FakeTimeProvider Clock { get; }

    public TicketService Service { get; private set; }

    public string DbPath => Path.Combine(_dir.Path, "ticketgw.db");

    /// <summary>Closes the store and opens it again, as a restarted process would.</summary>
    public async Task RestartAsync()
    {
        await Service.Database.DisposeAsync();
        Service = Open();
    }

    public async ValueTask DisposeAsync()
    {
        await Service.Database.DisposeAsync();
        _dir.Dispose();
    }

    private TicketService Open()
    {
        var sla = new SlaOptions();
        var database = new TicketDatabase(new StorageOptions { ConnectionString = $"Data Source={DbPath}" }, NullLogger<TicketDatabase>.Instance, createIfMissing: true, [IntakeSchema.Module, ExchangeSchema.Module]);
        return new TicketService(database, new DeadlineCalculator(CalendarLoader.Load([]), sla.Zone(), sla), Clock, NullLogger<TicketService>.Instance);
    }
}
