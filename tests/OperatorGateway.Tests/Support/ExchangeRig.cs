using Grpc.Net.Client;
using TicketGateway.Protos.Operator.V1;

namespace TicketGateway.OperatorGateway.Tests.Support;

/// <summary>
/// An operator peer, a private folder and the gateway calling back to the peer, with a channel to the gateway:
/// the real <c>ticketgw serve</c> process (<see cref="StartAsync"/>) or the same entry point in memory
/// (<see cref="StartInMemoryAsync"/>; no process, no listening socket, much faster to start).
/// </summary>
internal sealed class ExchangeRig : IAsyncDisposable
{
    private readonly GatewayProcess? _process;
    private readonly InMemoryGateway? _memory;

    private ExchangeRig(OperatorPeer peer, TempDir dir, GatewayProcess? process, InMemoryGateway? memory)
    {
        Peer = peer;
        Dir = dir;
        _process = process;
        _memory = memory;
        Channel = process is not null ? GrpcChannel.ForAddress(process.Url) : memory!.CreateChannel();
    }

    public OperatorPeer Peer { get; }

    public TempDir Dir { get; }

    /// <summary>The real process (rigs from <see cref="StartAsync"/> only).</summary>
    public GatewayProcess Gateway => _process ?? throw new InvalidOperationException("This rig runs the gateway in memory; use ExchangeRig.StartAsync for the real process.");

    /// <summary>The in-memory gateway (rigs from <see cref="StartInMemoryAsync"/> only).</summary>
    public InMemoryGateway InMemory => _memory ?? throw new InvalidOperationException("This rig runs the real process; use ExchangeRig.StartInMemoryAsync for the in-memory gateway.");

    /// <summary>What the gateway logged so far, whichever way it runs.</summary>
    public string Log => _process?.Log ?? _memory!.Log;

    public GrpcChannel Channel { get; }

    public ComplaintExchange.ComplaintExchangeClient A => Exchange.Client(Channel, Exchange.KeyA);

    public ComplaintExchange.ComplaintExchangeClient B => Exchange.Client(Channel, Exchange.KeyB);

    public static Task<ExchangeRig> StartAsync(params (string Key, string Value)[] settings) =>
        StartAsync(inMemory: false, settings);

    public static Task<ExchangeRig> StartInMemoryAsync(params (string Key, string Value)[] settings) =>
        StartAsync(inMemory: true, settings);

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
        Dir.Dispose();
    }

    private static async Task<ExchangeRig> StartAsync(bool inMemory, (string Key, string Value)[] settings)
    {
        var peer = await OperatorPeer.StartAsync();
        var dir = new TempDir();
        try
        {
            var env = Exchange.Settings(peer.Url, settings);
            return inMemory
                ? new ExchangeRig(peer, dir, null, new InMemoryGateway(dir.Path, env).Start())
                : new ExchangeRig(peer, dir, await GatewayProcess.StartAsync(dir.Path, env), null);
        }
        catch
        {
            dir.Dispose();
            await peer.DisposeAsync();
            throw;
        }
    }
}
