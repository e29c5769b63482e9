using Grpc.Net.Client;
using TicketGateway.Protos.Operator.V1;

namespace TicketGateway.OperatorGateway.Tests.Support;

/// <summary>An operator peer, a private folder and the real gateway calling back to the peer, with a channel to the gateway.</summary>
internal sealed class ExchangeRig : IAsyncDisposable
{
    private ExchangeRig(OperatorPeer peer, TempDir dir, GatewayProcess gateway)
    {
        Peer = peer;
        Dir = dir;
        Gateway = gateway;
        Channel = GrpcChannel.ForAddress(gateway.Url);
    }

    public OperatorPeer Peer { get; }

    public TempDir Dir { get; }

    public GatewayProcess Gateway { get; }

    public GrpcChannel Channel { get; }

    public ComplaintExchange.ComplaintExchangeClient A => Exchange.Client(Channel, Exchange.KeyA);

    public ComplaintExchange.ComplaintExchangeClient B => Exchange.Client(Channel, Exchange.KeyB);

    public static async Task<ExchangeRig> StartAsync(params (string Key, string Value)[] settings)
    {
        var peer = await OperatorPeer.StartAsync();
        var dir = new TempDir();
        try
        {
            return new ExchangeRig(peer, dir, await GatewayProcess.StartAsync(dir.Path, Exchange.Settings(peer.Url, settings)));
        }
        catch
        {
            dir.Dispose();
            await peer.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await Gateway.DisposeAsync();
        await Peer.DisposeAsync();
        Dir.Dispose();
    }
}
