using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TicketGateway.MailIntake;
using TicketGateway.OperatorGateway.Hosting;
using TicketGateway.OperatorGateway.Operations;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Tests.Functional.Storage;

/// <summary>
/// A store (<see cref="TestDatabase"/>) opened with every module, registered as <c>ticketgw serve</c> registers them
/// (<c>AddTickets</c>, <c>AddMailIntake</c>, <c>AddOperatorGateway</c>, <c>AddOperations</c>); the host is built, not started.
/// </summary>
internal sealed class ServedStore : IAsyncDisposable
{
    private readonly IHost _host;

    private ServedStore(IHost host)
    {
        _host = host;
        // Resolving the store opens it: schema steps and checksums, as at start-up.
        Database = host.Services.GetRequiredService<TicketDatabase>();
    }

    public TicketDatabase Database { get; }

    public IServiceProvider Services => _host.Services;

    public static ServedStore Open(TestDatabase db)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(db.Settings);
        builder.AddTickets();
        builder.AddMailIntake();
        builder.AddOperatorGateway();
        builder.AddOperations(serve: false);
        var host = builder.Build();
        try
        {
            return new ServedStore(host);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The store is IAsyncDisposable only: the host must be disposed asynchronously too.
        await ((IAsyncDisposable)_host).DisposeAsync();
        TestDatabase.ClearPools();
    }
}
