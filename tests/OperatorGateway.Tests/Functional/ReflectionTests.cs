using Grpc.Core;
using Grpc.Reflection.V1Alpha;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>Server reflection tells an operator's tools the contract, only with the operator's credentials.</summary>
public sealed class ReflectionTests
{
    [Fact]
    public async Task Reflection_WithoutKeyOrWithWrongKey_IsUnauthenticated_WithKeyListsTheExchange()
    {
        await using var rig = await ExchangeRig.StartAsync();

        foreach (var key in new[] { null, "not-a-key-0123456789" })
        {
            var ex = await Assert.ThrowsAsync<RpcException>(() => ListServicesAsync(rig, key));
            Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        }

        var services = await ListServicesAsync(rig, Exchange.KeyA);
        Assert.Contains("ticketgateway.operator.v1.ComplaintExchange", services);
    }

    private static async Task<List<string>> ListServicesAsync(ExchangeRig rig, string? key)
    {
        using var call = new ServerReflection.ServerReflectionClient(Exchange.Invoker(rig.Channel, key)).ServerReflectionInfo(deadline: DateTime.UtcNow.AddSeconds(10));
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        var names = new List<string>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            names.AddRange(call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name));
        }

        return names;
    }
}
