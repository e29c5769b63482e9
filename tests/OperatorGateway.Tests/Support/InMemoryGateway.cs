using Grpc.Net.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TicketGateway.OperatorGateway.Tests.Support;

/// <summary>
/// <c>ticketgw serve</c> run by its own entry point inside the test process, on an in-memory TestServer
/// instead of Kestrel: the same composition, store, workers and outgoing calls, without starting a
/// process or a listening socket. Its store is the test's <see cref="TestDatabase"/>, the one a CLI
/// command run by <see cref="Desk"/> opens.
/// </summary>
internal sealed class InMemoryGateway : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly LogCollector _log = new();

    /// <param name="db">The store (its <see cref="TestDatabase.Settings"/> win over <paramref name="settings"/>).</param>
    /// <param name="settings">Settings as the process takes them (<c>Section__Key</c> or <c>Section:Key</c>).</param>
    public InMemoryGateway(TestDatabase db, IReadOnlyDictionary<string, string>? settings = null)
    {
        _settings = (settings ?? new Dictionary<string, string>()).ToDictionary(kv => kv.Key.Replace("__", ":", StringComparison.Ordinal), kv => (string?)kv.Value);
        foreach (var (k, v) in db.Settings)
        {
            _settings[k] = v;
        }

        // As GatewayProcess sets for the real process.
        _settings["environment"] = "Test";
    }

    /// <summary>What the gateway logged so far (Information and above).</summary>
    public string Log => _log.Text;

    /// <summary>A gRPC channel to the in-memory server.</summary>
    public GrpcChannel CreateChannel() =>
        GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Server.CreateHandler() });

    /// <summary>The running background service of type <typeparamref name="T"/> (to read the counters it exposes).</summary>
    public T Worker<T>()
        where T : IHostedService => Services.GetServices<IHostedService>().OfType<T>().Single();

    /// <summary>Starts the gateway now rather than on first use.</summary>
    public InMemoryGateway Start()
    {
        _ = Server;
        return this;
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        // The deferred builder hands its host configuration to the entry point as --Key=value arguments,
        // so the gateway reads these settings exactly as `ticketgw serve --Key=value` would.
        builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(_settings));
        builder.ConfigureLogging(l =>
        {
            l.ClearProviders();
            l.AddProvider(_log);
        });
        return base.CreateHost(builder);
    }
}
