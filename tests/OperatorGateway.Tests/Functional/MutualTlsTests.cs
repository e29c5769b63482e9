using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Protos.Operator.V1;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>
/// TLS both ways: the gateway's own endpoint, configured only through Kestrel settings, with an operator
/// authenticated by its client certificate; and the gateway calling the operator's receiver with ours.
/// </summary>
public sealed class MutualTlsTests
{
    [Fact]
    public async Task Ping_OverTlsWithPinnedClientCertificate_AuthenticatesTheOperator()
    {
        using var dir = new TempDir();
        using var serverCert = TestCertificates.SelfSigned("CN=127.0.0.1", TestCertificates.ServerAuth, withIpSan: true);
        using var clientCert = TestCertificates.SelfSigned("CN=operator-tls", TestCertificates.ClientAuth, withIpSan: false);
        var pfx = Path.Combine(dir.Path, "server.pfx");
        await File.WriteAllBytesAsync(pfx, serverCert.Export(X509ContentType.Pfx, "test-pass"));
        await using var gateway = await GatewayProcess.StartAsync(dir.Path, new Dictionary<string, string>
        {
            ["Kestrel__Endpoints__Grpc__Url"] = "https://127.0.0.1:0",
            ["Kestrel__Endpoints__Grpc__Certificate__Path"] = pfx,
            ["Kestrel__Endpoints__Grpc__Certificate__Password"] = "test-pass",
            ["Kestrel__Endpoints__Grpc__ClientCertificateMode"] = "AllowCertificate",
            ["Operators__0__Id"] = "op-tls",
            ["Operators__0__CallbackAddress"] = "https://127.0.0.1:9",
            ["Operators__0__ClientCertificateThumbprint"] = clientCert.Thumbprint,
            ["Operators__0__CallbackApiKey"] = Exchange.CallbackKeyA,
        });
        Assert.StartsWith("https://", gateway.Url, StringComparison.Ordinal);

        using (var withCert = Channel(gateway.Url, serverCert.Thumbprint, clientCert))
        {
            var reply = await new ComplaintExchange.ComplaintExchangeClient(withCert).PingAsync(new PingRequest());
            Assert.Equal("op-tls", reply.OperatorId);
        }

        using var withoutCert = Channel(gateway.Url, serverCert.Thumbprint, null);
        var ex = await Assert.ThrowsAsync<RpcException>(() => new ComplaintExchange.ComplaintExchangeClient(withoutCert).PingAsync(new PingRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Fact]
    public async Task Delivery_CallbackOverTlsWithClientCertificate_OperatorSeesOurCertificateAndKey()
    {
        using var dir = new TempDir();
        using var peerCert = TestCertificates.SelfSigned("CN=127.0.0.1", TestCertificates.ServerAuth, withIpSan: true);
        using var ourCert = TestCertificates.SelfSigned("CN=ticketgw-callback", TestCertificates.ClientAuth, withIpSan: false);
        var ourPfx = Path.Combine(dir.Path, "callback.pfx");
        await File.WriteAllBytesAsync(ourPfx, ourCert.Export(X509ContentType.Pfx, "callback-pass"));
        // The gateway trusts the operator's self-signed server certificate as a root, as it would the operator's CA.
        var trusted = Path.Combine(dir.Path, "operator-ca.pem");
        await File.WriteAllTextAsync(trusted, peerCert.ExportCertificatePem());
        await using var peer = await OperatorPeer.StartAsync(peerCert);
        Assert.StartsWith("https://", peer.Url, StringComparison.Ordinal);
        await using var gateway = await GatewayProcess.StartAsync(dir.Path, Exchange.Settings(
            peer.Url,
            ("Operators__0__CallbackClientCertificate", ourPfx),
            ("Operators__0__CallbackClientCertificatePassword", "callback-pass"),
            ("SSL_CERT_FILE", trusted)));
        using var channel = GrpcChannel.ForAddress(gateway.Url);

        await Exchange.Client(channel, Exchange.KeyA).SubmitComplaintAsync(Exchange.Complaint("TLS-1"));

        await peer.Received.WaitForAsync("TLS-1", 1);
        var presented = peer.Received.Credentials[0];
        Assert.Equal("Bearer " + Exchange.CallbackKeyA, presented.Authorization);
        Assert.Equal(ourCert.Thumbprint, presented.ClientThumbprint);
        Assert.DoesNotContain("callback-pass", gateway.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(Exchange.CallbackKeyA, gateway.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_UnreadableCallbackCertificate_StopsStartUpWithOneLineNamingTheKey()
    {
        using var dir = new TempDir();
        using var ourCert = TestCertificates.SelfSigned("CN=ticketgw-callback", TestCertificates.ClientAuth, withIpSan: false);
        var ourPfx = Path.Combine(dir.Path, "callback.pfx");
        await File.WriteAllBytesAsync(ourPfx, ourCert.Export(X509ContentType.Pfx, "right-pass"));

        foreach (var (path, password) in new[] { (Path.Combine(dir.Path, "missing.pem"), ""), (ourPfx, "wrong-pass") })
        {
            var r = await GatewayProcess.RunCliAsync(dir.Path, Exchange.Settings(
                "https://127.0.0.1:9",
                ("Operators__0__CallbackClientCertificate", path),
                ("Operators__0__CallbackClientCertificatePassword", password)), "serve");
            Assert.Equal(2, r.ExitCode);
            var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("Operators:0:CallbackClientCertificate", line, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong-pass", line, StringComparison.Ordinal);
        }
    }

    private static GrpcChannel Channel(string url, string serverThumbprint, X509Certificate2? clientCert)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => cert is X509Certificate2 c && c.Thumbprint == serverThumbprint;
        if (clientCert is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCert];
        }

        return GrpcChannel.ForAddress(url, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }
}
