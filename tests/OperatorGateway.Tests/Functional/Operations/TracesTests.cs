using System.Text;
using Grpc.Net.Client;
using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Protos.Operator.V1;

namespace TicketGateway.OperatorGateway.Tests.Functional.Operations;

/// <summary>
/// Issue 14: with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, the real <c>ticketgw serve</c> exports the span of
/// an operator's gRPC call to a loopback OTLP/HTTP collector, with the collector's token from its environment.
/// </summary>
public sealed class TracesTests
{
    private const string Token = "otlp-collector-token-5f1c";

    [Fact]
    public async Task Serve_OtlpEndpointSet_ExportsTheSpanOfAnOperatorCallWithTheCollectorsToken()
    {
        await using var collector = await OtlpReceiver.StartAsync(Token);
        using var dir = new TempDir();
        var environment = Exchange.Settings($"http://127.0.0.1:{Ports.Closed()}");
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url;
        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        environment["OTEL_EXPORTER_OTLP_HEADERS"] = $"Authorization=Bearer {Token}";
        environment["OTEL_BSP_SCHEDULE_DELAY"] = "100";
        await using var gateway = await GatewayProcess.StartAsync(dir.Path, environment);

        using (var channel = GrpcChannel.ForAddress(gateway.Url))
        {
            Assert.Equal("op-a", (await Exchange.Client(channel, Exchange.KeyA).PingAsync(new PingRequest())).OperatorId);
        }

        // The OTLP protobuf holds the span's name and the resource's service.name as UTF-8 strings.
        const string route = "ticketgateway.operator.v1.ComplaintExchange/Ping";
        await Eventually.Until(() => collector.Exports.Any(e => Holds(e, route)), "the Ping call's span at the collector");
        var export = collector.Exports.First(e => Holds(e, route));
        Assert.True(Holds(export, "service.name") && Holds(export, "ticketgw"), "the span names its service");
        Assert.Equal(0, collector.Refused);
        Assert.DoesNotContain(Token, gateway.Log, StringComparison.Ordinal);
    }

    private static bool Holds(byte[] export, string text) => export.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
