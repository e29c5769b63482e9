using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using TicketGateway.Protos.Operator.V1;

namespace TicketGateway.OperatorGateway.Tests.Support;

/// <summary>Settings, clients and requests the exchange tests share.</summary>
internal static class Exchange
{
    public const string KeyA = "key-a-0123456789abcdef";
    public const string KeyB = "key-b-0123456789abcdef";

    /// <summary>The keys the gateway presents to each operator's receiver.</summary>
    public const string CallbackKeyA = "callback-a-0123456789abcdef";
    public const string CallbackKeyB = "callback-b-0123456789abcdef";

    /// <summary>Two operators calling back to <paramref name="callback"/>, with retry timings short enough for tests.</summary>
    public static Dictionary<string, string> Settings(string callback, params (string Key, string Value)[] more)
    {
        var env = new Dictionary<string, string>
        {
            ["Operators__0__Id"] = "op-a",
            ["Operators__0__Name"] = "Operator A",
            ["Operators__0__ApiKey"] = KeyA,
            ["Operators__0__CallbackAddress"] = callback,
            ["Operators__0__CallbackApiKey"] = CallbackKeyA,
            ["Operators__1__Id"] = "op-b",
            ["Operators__1__ApiKey"] = KeyB,
            ["Operators__1__CallbackAddress"] = callback,
            ["Operators__1__CallbackApiKey"] = CallbackKeyB,
            ["OperatorGateway__Delivery__PollInterval"] = "00:00:00.100",
            ["OperatorGateway__Delivery__RetryBaseDelay"] = "00:00:00.100",
            ["OperatorGateway__Delivery__RetryMaxDelay"] = "00:00:00.400",
            ["OperatorGateway__Delivery__AttemptTimeout"] = "00:00:02",
            ["OperatorGateway__Delivery__CircuitBreakDuration"] = "00:00:00.500",
        };
        foreach (var (k, v) in more)
        {
            env[k] = v;
        }

        return env;
    }

    public static ComplaintExchange.ComplaintExchangeClient Client(GrpcChannel channel, string? key) => new(Invoker(channel, key));

    /// <summary>Calls on <paramref name="channel"/> carrying <c>authorization: Bearer KEY</c>, or no credentials when null.</summary>
    public static CallInvoker Invoker(GrpcChannel channel, string? key) =>
        key is null ? channel.CreateCallInvoker() : channel.Intercept(m =>
        {
            m.Add("authorization", "Bearer " + key);
            return m;
        });

    public static SubmitComplaintRequest Complaint(string orderId, string msisdn = "13800138000") => new()
    {
        OrderId = orderId,
        Msisdn = msisdn,
        Category = ComplaintCategory.FeeDispute,
        ServiceCode = "SP-MUSIC-01",
        Title = "未订购却被扣费 10 元",
        Content = "用户称从未订购音乐包，本月被扣 10 元，要求退费。",
        ReceivedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-10)),
        Attachments = { new Attachment { Name = "bill.txt", ContentType = "text/plain", Content = Google.Protobuf.ByteString.CopyFromUtf8("10.00 音乐包") } },
    };

    public static async Task<RpcException> FailsAsync(Func<Task> call)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(call);
        return ex;
    }

    /// <summary>The field named by the google.rpc.BadRequest detail of an INVALID_ARGUMENT.</summary>
    public static string BadField(RpcException ex)
    {
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var bad = ex.GetRpcStatus()?.GetDetail<BadRequest>();
        Assert.NotNull(bad);
        return Assert.Single(bad.FieldViolations).Field;
    }
}
