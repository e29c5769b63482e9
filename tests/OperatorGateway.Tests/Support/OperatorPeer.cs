using System.Net;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TicketGateway.Protos.Operator.V1;

namespace TicketGateway.OperatorGateway.Tests.Support;

/// <summary>
/// The operator's ComplaintResultReceiver: a real gRPC server on Kestrel, 127.0.0.1, a port the OS
/// picks, over TLS when given a server certificate (then asking for a client certificate). It records every
/// update it accepts with the credentials the caller presented, and can be switched to answer UNAVAILABLE.
/// </summary>
internal sealed class OperatorPeer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OperatorPeer(WebApplication app, UpdateLog received, string url)
    {
        _app = app;
        Received = received;
        Url = url;
    }

    public UpdateLog Received { get; }

    public string Url { get; }

    /// <param name="serverCertificate">TLS with this certificate; plain HTTP/2 when null.</param>
    /// <param name="port">The port to listen on; 0 lets the OS pick (a test bringing a downed endpoint back up gives its port).</param>
    public static async Task<OperatorPeer> StartAsync(X509Certificate2? serverCertificate = null, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Only this code configures it: the gateway's appsettings.json sits in the same folder, and its
        // Kestrel endpoint (127.0.0.1:5080) would otherwise be bound too, clashing between parallel tests.
        builder.Configuration.Sources.Clear();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l =>
        {
            l.Protocols = HttpProtocols.Http2;
            if (serverCertificate is not null)
            {
                l.UseHttps(serverCertificate, https =>
                {
                    https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate;
                    https.AllowAnyClientCertificate();
                });
            }
        }));
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        var received = new UpdateLog();
        builder.Services.AddSingleton(received);
        var app = builder.Build();
        app.MapGrpcService<ReceiverService>();
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new OperatorPeer(app, received, url);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>What the operator received, in arrival order.</summary>
    internal sealed class UpdateLog
    {
        private readonly List<ComplaintUpdate> _updates = [];
        private readonly List<(string? Authorization, string? ClientThumbprint)> _credentials = [];
        private int _refused;

        /// <summary>While true, every call is answered UNAVAILABLE (the operator's system is down).</summary>
        public volatile bool Unavailable;

        private int _acksToLose;

        public int Refused => Volatile.Read(ref _refused);

        /// <summary>The next <paramref name="count"/> updates are stored but answered UNAVAILABLE, as if the answer got lost.</summary>
        public void LoseAcks(int count) => Volatile.Write(ref _acksToLose, count);

        public bool TakeLostAck() => Interlocked.Decrement(ref _acksToLose) >= 0;

        public IReadOnlyList<ComplaintUpdate> For(string orderId)
        {
            lock (_updates)
            {
                return [.. _updates.Where(u => u.OrderId == orderId)];
            }
        }

        /// <summary>What each call presented, in arrival order: the authorization metadata and the client certificate's thumbprint.</summary>
        public IReadOnlyList<(string? Authorization, string? ClientThumbprint)> Credentials
        {
            get
            {
                lock (_updates)
                {
                    return [.. _credentials];
                }
            }
        }

        public void Presented(string? authorization, string? clientThumbprint)
        {
            lock (_updates)
            {
                _credentials.Add((authorization, clientThumbprint));
            }
        }

        public void Add(ComplaintUpdate update)
        {
            lock (_updates)
            {
                _updates.Add(update);
            }
        }

        public void Refuse() => Interlocked.Increment(ref _refused);

        /// <summary>Waits (bounded) until the operator holds <paramref name="count"/> distinct sequences of an order.</summary>
        public async Task<IReadOnlyList<ComplaintUpdate>> WaitForAsync(string orderId, int count, TimeSpan? timeout = null)
        {
            var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
            while (DateTime.UtcNow < until)
            {
                var got = For(orderId);
                if (got.Select(u => u.Sequence).Distinct().Count() >= count)
                {
                    return got;
                }

                await Task.Delay(50);
            }

            throw new TimeoutException($"The operator holds sequences [{string.Join(",", For(orderId).Select(u => u.Sequence))}] of {orderId}, expected {count} distinct.");
        }
    }

    private sealed class ReceiverService(UpdateLog received) : ComplaintResultReceiver.ComplaintResultReceiverBase
    {
        public override Task<ReceiveUpdateAck> ReceiveUpdate(ComplaintUpdate request, ServerCallContext context)
        {
            received.Presented(context.RequestHeaders.GetValue("authorization"), context.GetHttpContext().Connection.ClientCertificate?.Thumbprint);
            if (received.Unavailable)
            {
                received.Refuse();
                throw new RpcException(new Status(StatusCode.Unavailable, "The operator's system is down for maintenance."));
            }

            received.Add(request);
            return received.TakeLostAck()
                ? throw new RpcException(new Status(StatusCode.Unavailable, "The answer was lost on the way back."))
                : Task.FromResult(new ReceiveUpdateAck());
        }
    }
}
