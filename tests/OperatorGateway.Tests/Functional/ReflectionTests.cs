using Grpc.Core;
using Grpc.Reflection.V1Alpha;
using V1 = Grpc.Reflection.V1;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>Server reflection tells an operator's tools the contract, only with the operator's credentials.</summary>
public sealed class ReflectionTests
{
    [Fact]
    public async Task Reflection_WithoutKeyOrWithWrongKey_IsUnauthenticated_WithKeyListsTheExchange()
    {
        await using var rig = await ExchangeRig.StartInMemoryAsync(StoreKind.Sqlite);

        foreach (var key in new[] { null, "not-a-key-0123456789" })
        {
            var ex = await Assert.ThrowsAsync<RpcException>(() => ListServicesAsync(rig, key));
            Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        }

        var services = await ListServicesAsync(rig, Exchange.KeyA);
        Assert.Contains("ticketgateway.operator.v1.ComplaintExchange", services);
    }

    [Fact]
    public async Task ReflectionV1_WithoutKeyOrWithWrongKey_IsUnauthenticated_WithKeyListsTheExchange()
    {
        await using var rig = await ExchangeRig.StartInMemoryAsync(StoreKind.Sqlite);

        foreach (var key in new[] { null, "not-a-key-0123456789" })
        {
            var ex = await Assert.ThrowsAsync<RpcException>(() => ListServicesV1Async(rig, key));
            Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        }

        var services = await ListServicesV1Async(rig, Exchange.KeyA);
        Assert.Contains("ticketgateway.operator.v1.ComplaintExchange", services);
    }

    [Fact]
    public async Task ReflectionV1_OverTheOperatorsRateLimit_ResourceExhausted()
    {
        await using var rig = await ExchangeRig.StartInMemoryAsync(StoreKind.Sqlite, ("OperatorGateway__RateLimitPerSecond", "1"), ("OperatorGateway__RateLimitBurst", "2"));

        var codes = new List<StatusCode>();
        for (var i = 0; i < 5; i++)
        {
            try
            {
                await ListServicesV1Async(rig, Exchange.KeyA);
                codes.Add(StatusCode.OK);
            }
            catch (RpcException ex)
            {
                codes.Add(ex.StatusCode);
            }
        }

        Assert.Contains(StatusCode.ResourceExhausted, codes);
    }

    private static async Task<List<string>> ListServicesV1Async(ExchangeRig rig, string? key)
    {
        using var call = new V1.ServerReflection.ServerReflectionClient(Exchange.Invoker(rig.Channel, key)).ServerReflectionInfo(deadline: DateTime.UtcNow.AddSeconds(10));
        await SendAsync(call.RequestStream, new V1.ServerReflectionRequest { ListServices = "" });
        var names = new List<string>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            names.AddRange(call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name));
        }

        return names;
    }

    private static async Task<List<string>> ListServicesAsync(ExchangeRig rig, string? key)
    {
        using var call = new ServerReflection.ServerReflectionClient(Exchange.Invoker(rig.Channel, key)).ServerReflectionInfo(deadline: DateTime.UtcNow.AddSeconds(10));
        await SendAsync(call.RequestStream, new ServerReflectionRequest { ListServices = "" });
        var names = new List<string>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            names.AddRange(call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name));
        }

        return names;
    }

    // The gateway refuses a call (credentials, rate limit) before it reads the request, so the write may
    // find the call already ended (reported as Cancelled on the write); the gateway's status then comes
    // with the response, which the caller reads next.
    private static async Task SendAsync<T>(IClientStreamWriter<T> requests, T request)
    {
        try
        {
            await requests.WriteAsync(request);
            await requests.CompleteAsync();
        }
        catch (RpcException)
        {
        }
    }
}
