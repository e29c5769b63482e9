using System.Diagnostics;
using Xunit.Abstractions;
using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Protos.Operator.V1;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>
/// Idempotency of SubmitComplaint across nodes: the same order_id reaching two nodes at the same moment
/// makes one ticket, and both callers get the first receipt. PostgreSQL only: several nodes need a shared store.
/// </summary>
public sealed class SubmitAcrossNodesTests(ITestOutputHelper output)
{
    private const int Pairs = 200;

    // Pairs in flight at once: enough that both nodes' write batches hold several order_ids each.
    private const int Callers = 32;

    [PostgresFact]
    public async Task SubmitComplaint_SameOrderIdOnTwoNodesAtOnce_OneTicketAndBothCallersGetTheSameReceipt()
    {
        await using var peer = await OperatorPeer.StartAsync();
        await using var nodes = await TwoNodes.StartAsync(peer.Url);
        var clock = Stopwatch.StartNew();
        using var callers = new SemaphoreSlim(Callers);
        var pairs = await Task.WhenAll(Enumerable.Range(0, Pairs).Select(async i =>
        {
            await callers.WaitAsync();
            try
            {
                var request = Exchange.Complaint($"RACE-{i:D4}", $"1390000{i:D4}");
                // Both calls are on the wire before either is awaited.
                var first = nodes.Client(0).SubmitComplaintAsync(request, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync;
                var second = nodes.Client(1).SubmitComplaintAsync(request, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync;
                return (Order: request.OrderId, Receipts: await Task.WhenAll(first, second));
            }
            finally
            {
                callers.Release();
            }
        }));
        clock.Stop();

        foreach (var (order, receipts) in pairs)
        {
            Assert.Equal(order, receipts[0].OrderId);
            // The proto's contract for a repeat: "the same request again returns the first receipt".
            Assert.Equal(receipts[0], receipts[1]);
        }

        Assert.Equal(Pairs, pairs.Select(p => p.Receipts[0].TicketRef).Distinct().Count());
        Assert.Equal(0, nodes.Db.CountOrMinusOne("SELECT COUNT(*) FROM (SELECT order_id FROM operator_complaints GROUP BY operator_id, order_id HAVING COUNT(*) > 1) d"));
        Assert.Equal(Pairs, nodes.Db.CountOrMinusOne("SELECT COUNT(*) FROM operator_complaints"));
        Assert.Equal(Pairs, nodes.Db.CountOrMinusOne("SELECT COUNT(*) FROM tickets"));
        // One accepted update per complaint, whichever node made it.
        Assert.Equal(Pairs, nodes.Db.CountOrMinusOne("SELECT COUNT(*) FROM operator_updates WHERE sequence = 1"));
        Assert.Equal(Pairs, nodes.Db.CountOrMinusOne("SELECT COUNT(*) FROM operator_updates"));
        // Which node created each ticket (its log line 102); the other answered with the first receipt.
        int Created(int node) => nodes.Log(node).Split('\n').Count(l => l.Contains("complaint RACE-", StringComparison.Ordinal) && l.Contains(" accepted as ", StringComparison.Ordinal));
        var (created0, created1) = (Created(0), Created(1));
        Assert.Equal(Pairs, created0 + created1);
        // Retries (log line 104): a unique violation once the other node committed, a deadlock between the batches.
        var retries = Enumerable.Range(0, 2).SelectMany(n => nodes.Log(n).Split('\n')).Where(l => l.Contains(" was not committed (", StringComparison.Ordinal)).ToList();
        foreach (var line in retries.Take(20))
        {
            output.WriteLine(line);
        }

        // No call waited on the other node's uncommitted order_id while its own batch held what that batch needed:
        // such a deadlock stalls both nodes for PostgreSQL's deadlock_timeout (1 s) and fails one side's attempt.
        // The sessions' counts reach pg_stat_database when they end, so the nodes stop first.
        await nodes.StopAsync(0);
        await nodes.StopAsync(1);
        TestDatabase.ClearPools();
        var sessions = -1L;
        for (var i = 0; i < 100 && sessions != 0; i++)
        {
            sessions = nodes.Db.CountOrMinusOne("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
            await Task.Delay(sessions == 0 ? 0 : 50);
        }

        var deadlocks = nodes.Db.CountOrMinusOne("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");
        output.WriteLine($"{Pairs} order ids, each sent to both nodes at once: {Pairs * 2} calls OK in {clock.Elapsed.TotalSeconds:F1} s; "
            + $"{Pairs} tickets, created by node 0: {created0}, by node 1: {created1}; {retries.Count} attempts retried, {deadlocks} deadlocks");
        Assert.Equal(0, sessions);
        Assert.Equal(0, deadlocks);
        Assert.Empty(retries);
    }
}
