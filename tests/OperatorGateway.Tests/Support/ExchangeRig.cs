using Grpc.Net.Client;
using TicketGateway.Protos.Operator.V1;

namespace TicketGateway.OperatorGateway.Tests.Support;

/// <summary>
/// An operator peer, a private folder with a store on one engine (<see cref="Desk"/>) and the gateway calling
/// back to the peer, with a channel to the gateway:
/// the real <c>ticketgw serve</c> process (<see cref="StartAsync"/>) or the same entry point in memory
/// (<see cref="StartInMemoryAsync"/>; no process, no listening socket, much faster to start).
/// </summary>
internal sealed class ExchangeRig : IAsyncDisposable
{
    private readonly GatewayProcess? _process;
    private readonly InMemoryGateway? _memory;

    private ExchangeRig(OperatorPeer peer, Desk desk, GatewayProcess? process, InMemoryGateway? memory)
    {
        Peer = peer;
        Desk = desk;
        _process = process;
        _memory = memory;
        Channel = process is not null ? GrpcChannel.ForAddress(process.Url) : memory!.CreateChannel();
    }

    public OperatorPeer Peer { get; }

    /// <summary>The folder and store the gateway uses; its CLI commands run on the same store.</summary>
    public Desk Desk { get; }

    /// <summary>The real process (rigs from <see cref="StartAsync"/> only).</summary>
    public GatewayProcess Gateway => _process ?? throw new InvalidOperationException("This rig runs the gateway in memory; use ExchangeRig.StartAsync for the real process.");

    /// <summary>The in-memory gateway (rigs from <see cref="StartInMemoryAsync"/> only).</summary>
    public InMemoryGateway InMemory => _memory ?? throw new InvalidOperationException("This rig runs the real process; use ExchangeRig.StartInMemoryAsync for the in-memory gateway.");

    /// <summary>What the gateway logged so far, whichever way it runs.</summary>
    public string Log => _process?.Log ?? _memory!.Log;

    public GrpcChannel Channel { get; }

    public ComplaintExchange.ComplaintExchangeClient A => Exchange.Client(Channel, Exchange.KeyA);

    public ComplaintExchange.ComplaintExchangeClient B => Exchange.Client(Channel, Exchange.KeyB);

    public static Task<ExchangeRig> StartAsync(StoreKind engine, params (string Key, string Value)[] settings) =>
        StartAsync(engine, inMemory: false, settings);

    public static Task<ExchangeRig> StartInMemoryAsync(StoreKind engine, params (string Key, string Value)[] settings) =>
        StartAsync(engine, inMemory: true, settings);

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        if (_memory is not null)
        {
            await _memory.DisposeAsync();
        }

        await Peer.DisposeAsync();
        Desk.Dispose();
    }

    private static async Task<ExchangeRig> StartAsync(StoreKind engine, bool inMemory, (string Key, string Value)[] settings)
    {
        var peer = await OperatorPeer.StartAsync();
        var desk = new Desk(engine);
        try
        {
            var env = Exchange.Settings(peer.Url, settings);
            return inMemory
                ? new ExchangeRig(peer, desk, null, desk.InMemory(env).Start())
                : new ExchangeRig(peer, desk, await desk.StartAsync(env), null);
        }
        catch
        {
            desk.Dispose();
            await peer.DisposeAsync();
            throw;
        }
    }
}
