using System.Diagnostics;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit.Abstractions;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>
/// PostgreSQL down while the gateway serves: the operator's calls get UNAVAILABLE (STORE_UNAVAILABLE), never a
/// false OK, and the same call succeeds once the database is back, making one complaint. The server stopped
/// is the test's own, so the other test classes go on meanwhile.
/// </summary>
public sealed class StoreOutageTests(ITestOutputHelper output)
{
    [PostgresFact]
    public async Task SubmitComplaint_PostgresDown_UnavailableWithStoreDetailThenOneComplaintOnceBack()
    {
        using var server = PostgresServer.StartPrivate();
        await using var peer = await OperatorPeer.StartAsync();
        using var desk = new Desk(StoreKind.Postgres, server);
        await using var gateway = await desk.StartAsync(Exchange.Settings(peer.Url));
        using var channel = GrpcChannel.ForAddress(gateway.Url);
        var client = Exchange.Client(channel, Exchange.KeyA);
        // One complaint before the outage: the node's pool then holds connections the stop ends.
        await client.SubmitComplaintAsync(Exchange.Complaint("OUTAGE-0"));
        var request = Exchange.Complaint("OUTAGE-1", "13900139001");
        var refused = new List<RpcException>();
        var outage = Stopwatch.StartNew();
        server.Stop();
        try
        {
            // The same request three times (an operator retrying), and two other order ids.
            foreach (var r in new[] { request, request, Exchange.Complaint("OUTAGE-2", "13900139002"), request, Exchange.Complaint("OUTAGE-3", "13900139003") })
            {
                refused.Add(await Assert.ThrowsAsync<RpcException>(() => client.SubmitComplaintAsync(r, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync));
            }
        }
        finally
        {
            server.Start();
            outage.Stop();
        }

        Assert.All(refused, ex =>
        {
            Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
            Assert.Equal("STORE_UNAVAILABLE", ex.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);
        });

        // Back: the operator's retry of the same request succeeds (the first tries may still meet a connection the restart ended).
        var retries = 0;
        var receipt = await Eventually.WaitAsync(
            () =>
            {
                try
                {
                    return client.SubmitComplaint(request, deadline: DateTime.UtcNow.AddSeconds(10));
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
                {
                    retries++;
                    return null;
                }
            },
            r => r is not null,
            TimeSpan.FromSeconds(30),
            "SubmitComplaint after PostgreSQL is back");
        Assert.Equal("OUTAGE-1", receipt!.OrderId);
        Assert.Equal(receipt, await client.SubmitComplaintAsync(request));
        Assert.Equal(1, desk.Db.CountOrMinusOne("SELECT COUNT(*) FROM operator_complaints WHERE order_id = 'OUTAGE-1'"));
        // Nothing the outage refused was stored behind the operator's back.
        Assert.Equal(0, desk.Db.CountOrMinusOne("SELECT COUNT(*) FROM operator_complaints WHERE order_id IN ('OUTAGE-2', 'OUTAGE-3')"));
        Assert.Equal(2, desk.Db.CountOrMinusOne("SELECT COUNT(*) FROM tickets"));
        output.WriteLine($"PostgreSQL down {outage.Elapsed.TotalSeconds:F1} s: {refused.Count} calls, all UNAVAILABLE/STORE_UNAVAILABLE; "
            + $"after the restart {retries} UNAVAILABLE before the OK; one complaint OUTAGE-1");
    }
}
