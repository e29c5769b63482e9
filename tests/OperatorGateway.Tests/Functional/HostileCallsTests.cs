using Grpc.Core;
using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Protos.Operator.V1;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>What a hostile or broken client sends: the gateway answers precisely, keeps its log short and keeps serving.</summary>
public sealed class HostileCallsTests
{
    [Fact]
    public async Task Submit_MegabyteMsisdn_StatusQuotesAShortPrefixAndTheChannelKeepsWorking()
    {
        await using var rig = await ExchangeRig.StartAsync(StoreKind.Sqlite);
        var huge = Exchange.Complaint("BIG-1", new string('9', 1_000_000));

        var ex = await Exchange.FailsAsync(() => rig.A.SubmitComplaintAsync(huge).ResponseAsync);

        Assert.Equal("msisdn", Exchange.BadField(ex));
        Assert.InRange(ex.Status.Detail.Length, 1, 200);
        Assert.Contains("(1000000 characters)", ex.Status.Detail, StringComparison.Ordinal);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("op-a", (await rig.A.PingAsync(new PingRequest())).OperatorId);
        }

        Assert.DoesNotContain(new string('9', 100), rig.Gateway.Log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0xFF })]                   // order_id: a length that never ends
    [InlineData(new byte[] { 0x0A, 0x02, 0xC3, 0x28 })]       // order_id: two bytes that are not UTF-8
    [InlineData(new byte[] { 0x0F })]                         // a field number 1 with the invalid wire type 7
    public async Task Submit_NotProtobufOrNotUtf8_InvalidArgumentAndOneLogLine(byte[] body)
    {
        await using var rig = await ExchangeRig.StartAsync(StoreKind.Sqlite);
        var submit = new Method<byte[], byte[]>(
            MethodType.Unary, "ticketgateway.operator.v1.ComplaintExchange", "SubmitComplaint", Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

        var ex = await Assert.ThrowsAsync<RpcException>(() => Exchange.Invoker(rig.Channel, Exchange.KeyA).AsyncUnaryCall(submit, null, new CallOptions(), body).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("The request is not valid protobuf/UTF-8.", ex.Status.Detail);
        await Eventually.Until(() => rig.Gateway.Log.Contains("not valid protobuf/UTF-8", StringComparison.Ordinal), "the malformed request's log line");
        Assert.Single(rig.Gateway.Log.Split('\n'), l => l.Contains("not valid protobuf", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", rig.Gateway.Log, StringComparison.Ordinal);
        Assert.Equal("op-a", (await rig.A.PingAsync(new PingRequest())).OperatorId);
    }

    [Fact]
    public async Task Calls_ManyWrongKeysFromOneAddress_ResourceExhaustedAfterTheLimitAndFewLogLines()
    {
        await using var rig = await ExchangeRig.StartAsync(StoreKind.Sqlite, ("OperatorGateway__AuthFailureLimit", "5"), ("OperatorGateway__AuthFailureWindow", "00:00:10"));
        var linesBefore = rig.Gateway.Log.Split('\n').Length;
        var guesser = Exchange.Client(rig.Channel, "guess-0123456789abcdef");

        var codes = new List<StatusCode>();
        for (var i = 0; i < 100; i++)
        {
            codes.Add((await Exchange.FailsAsync(() => guesser.PingAsync(new PingRequest()).ResponseAsync)).StatusCode);
        }

        // Once over the limit even the right key is refused: guessing would otherwise go on, only answered differently.
        var rightKey = await Exchange.FailsAsync(() => rig.A.PingAsync(new PingRequest()).ResponseAsync);

        Assert.Equal(Enumerable.Repeat(StatusCode.Unauthenticated, 5), codes.Take(5));
        Assert.All(codes.Skip(5), c => Assert.Equal(StatusCode.ResourceExhausted, c));
        Assert.Equal(StatusCode.ResourceExhausted, rightKey.StatusCode);
        // The first failure at once, then one summary for the window with the count.
        await Eventually.Until(() => rig.Gateway.Log.Contains("5 failed authentications from 127.0.0.1", StringComparison.Ordinal), "a summary line for the window");
        Assert.Contains("96 further calls refused", rig.Gateway.Log, StringComparison.Ordinal);
        Assert.InRange(rig.Gateway.Log.Split('\n').Length - linesBefore, 2, 6);
        // The window is over (its summary is written after the count is dropped): the operator gets in again.
        Assert.Equal("op-a", (await rig.A.PingAsync(new PingRequest())).OperatorId);
    }
}
