using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Protos.Operator.V1;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>The gateway's own endpoint over TLS, configured only through Kestrel settings, with an operator authenticated by its client certificate.</summary>
public sealed class MutualTlsTests
{
    [Fact]
    public async Task Ping_OverTlsWithPinnedClientCertificate_AuthenticatesTheOperator()
    {
        using var dir = new TempDir();
        using var serverCert = SelfSigned("CN=127.0.0.1", "1.3.6.1.5.5.7.3.1", withIpSan: true);
        using var clientCert = SelfSigned("CN=operator-tls", "1.3.6.1.5.5.7.3.2", withIpSan: false);
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

    private static X509Certificate2 SelfSigned(string subject, string usageOid, bool withIpSan)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usageOid)], critical: false));
        if (withIpSan)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
        }

        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Re-imported so the private key is usable by SslStream on Linux.
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }
}
