using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Xunit.Abstractions;
using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Protos.Operator.V1;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>
/// Issue 11, must-show 3: an operator's storm spread over two nodes, one node killed mid-storm and the client
/// retrying on the other, then updates delivered by both nodes with one killed mid-delivery. PostgreSQL only:
/// several nodes need a shared store.
/// </summary>
[RunsLong]
public sealed class OperatorStormTests(ITestOutputHelper output)
{
    private const int Orders = 1000;
    private const int Callers = 16;
    private const int KillAfter = 300;

    private readonly ConcurrentDictionary<StatusCode, int> _failures = new();

    [PostgresFact]
    public async Task Storm_TwoNodesOneKilledMidStormAndMidDelivery_OneTicketPerOkOrderAndEveryUpdateInSequence()
    {
        await using var peer = await OperatorPeer.StartAsync();
        await using var nodes = await TwoNodes.StartAsync(peer.Url);

        // The storm: order i goes to node i % 2; every tenth goes to both nodes at the same moment.
        var receipts = new ConcurrentDictionary<string, ComplaintReceipt>();
        var ok = 0;
        var next = -1;
        var storm = Stopwatch.StartNew();
        async Task Caller()
        {
            for (var i = Interlocked.Increment(ref next); i < Orders; i = Interlocked.Increment(ref next))
            {
                var request = Exchange.Complaint($"STORM-{i:D4}", $"1380000{i:D4}");
                var answers = i % 10 == 0
                    ? await Task.WhenAll(SubmitAsync(nodes, request, 0), SubmitAsync(nodes, request, 1))
                    : [await SubmitAsync(nodes, request, i % 2)];
                Assert.All(answers, a => Assert.Equal(answers[0], a));
                Assert.True(receipts.TryAdd(request.OrderId, answers[0]));
                Interlocked.Increment(ref ok);
            }
        }

        var callers = Enumerable.Range(0, Callers).Select(_ => Task.Run(Caller)).ToList();
        var okAtKill = await Eventually.WaitAsync(() => Volatile.Read(ref ok), n => n >= KillAfter, TimeSpan.FromSeconds(60), "OK answers before the kill");
        await nodes.KillAsync(1);
        var killedAt = storm.Elapsed;
        await Task.WhenAll(callers);
        storm.Stop();
        var stormRetries = _failures.Values.Sum();
        var stormFailures = string.Join(", ", _failures.Select(f => $"{f.Key} {f.Value}"));
        Assert.True(okAtKill < Orders, "the kill came after the storm");
        Assert.True(stormRetries > 0, "no call failed over to the other node");

        Assert.Equal(Orders, receipts.Count);
        Assert.Equal(0, nodes.Db.CountOrMinusOne("SELECT COUNT(*) FROM (SELECT order_id FROM operator_complaints GROUP BY operator_id, order_id HAVING COUNT(*) > 1) d"));
        Assert.Equal(Orders, nodes.Db.CountOrMinusOne("SELECT COUNT(DISTINCT order_id) FROM operator_complaints"));
        Assert.Equal(Orders, nodes.Db.CountOrMinusOne("SELECT COUNT(*) FROM tickets"));
        Assert.Equal(Orders, receipts.Values.Select(r => r.TicketRef).Distinct().Count());

        // The accepted updates: both nodes sent them, and one died while sending.
        await nodes.StartAsync(1);
        var drain = Stopwatch.StartNew();
        await WaitDeliveredAsync(nodes, "the accepted updates");
        var acceptedDrained = drain.Elapsed;

        // Updates while the operator's receiver is down, so they queue: 250 withdrawals (on both nodes, over
        // gRPC), and agents on the CLI taking 10 complaints through level, reply and resolution.
        peer.Received.Unavailable = true;
        var withdrawn = Enumerable.Range(0, Orders).Where(i => i % 4 == 1).Select(i => $"STORM-{i:D4}").ToHashSet();
        var worked = Enumerable.Range(0, Orders).Where(i => i % 100 == 2).Select(i => $"STORM-{i:D4}").ToHashSet();
        await Parallel.ForEachAsync(withdrawn.Select((order, k) => (order, k)), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (w, _) =>
            await CallAsync(nodes, w.k % 2, c => c.WithdrawAsync(new WithdrawRequest { OrderId = w.order, Reason = "用户已自行解决" }, deadline: Deadline()).ResponseAsync));
        await Parallel.ForEachAsync(worked, new ParallelOptions { MaxDegreeOfParallelism = 3 }, async (order, _) =>
        {
            var reference = receipts[order].TicketRef;
            await nodes.CliAsync("tickets", "level", reference, "2");
            await nodes.CliAsync("reply", reference, "--text", "已联系用户核实扣费记录。");
            await nodes.CliAsync("tickets", "resolve", reference, "--text", "已核实误扣，退费 10 元。");
        });
        var queued = nodes.Db.CountOrMinusOne("SELECT COUNT(*) FROM operator_updates WHERE delivered_at IS NULL");
        Assert.Equal(withdrawn.Count + (3 * worked.Count), queued);

        // The receiver is back; node 0 is killed once delivery is under way, node 1 takes its claims over.
        peer.Received.Unavailable = false;
        drain.Restart();
        var pendingAtKill = await Eventually.WaitAsync(
            () => nodes.Db.CountOrMinusOne("SELECT COUNT(*) FROM operator_updates WHERE delivered_at IS NULL"),
            n => n < queued,
            TimeSpan.FromSeconds(30),
            "the first delivery after the receiver is back");
        await nodes.KillAsync(0);
        var claimedAtKill = nodes.Db.CountOrMinusOne("SELECT COUNT(*) FROM operator_updates WHERE delivered_at IS NULL AND claimed_by IS NOT NULL");
        await WaitDeliveredAsync(nodes, "the updates queued while the receiver was down");
        var secondDrained = drain.Elapsed;

        Assert.Equal(Orders + queued, nodes.Db.CountOrMinusOne("SELECT COUNT(*) FROM operator_updates"));
        var (received, duplicates, late) = (0, 0, 0);
        foreach (var order in receipts.Keys)
        {
            UpdateKind[] expected = withdrawn.Contains(order) ? [UpdateKind.Accepted, UpdateKind.Withdrawn]
                : worked.Contains(order) ? [UpdateKind.Accepted, UpdateKind.Progress, UpdateKind.Progress, UpdateKind.Resolved]
                : [UpdateKind.Accepted];
            // The operator drops a sequence it has seen (at-least-once, the receiver proto says so): what it keeps
            // must be 1, 2, 3... in arrival order, never a sequence before the one preceding it.
            var kept = new List<ComplaintUpdate>();
            foreach (var u in peer.Received.For(order))
            {
                received++;
                if (u.Sequence <= kept.Count)
                {
                    duplicates++;
                    late += u.Sequence < kept.Count ? 1 : 0;
                    continue;
                }

                Assert.True(u.Sequence == kept.Count + 1, $"{order}: sequence {u.Sequence} arrived after {kept.Count}");
                kept.Add(u);
            }

            Assert.Equal(expected, kept.Select(u => u.Kind));
            Assert.All(kept, u => Assert.Equal(receipts[order].TicketRef, u.TicketRef));
        }

        output.WriteLine($"storm: {Orders} order ids ({Orders / 10} of them sent to both nodes at once), {Callers} callers, {storm.Elapsed.TotalSeconds:F1} s; "
            + $"node 1 killed at {killedAt.TotalSeconds:F1} s after {okAtKill} OKs; {stormRetries} calls retried on the other node ({stormFailures})");
        output.WriteLine($"tickets {Orders}, complaints {Orders}, no order_id twice; accepted updates all delivered {acceptedDrained.TotalSeconds:F1} s after node 1 was back");
        output.WriteLine($"{queued} updates queued while the receiver was down ({withdrawn.Count} withdrawals, {worked.Count} complaints worked on the CLI); "
            + $"node 0 killed with {pendingAtKill} still undelivered, {claimedAtKill} of them claimed (by either node); all delivered in {secondDrained.TotalSeconds:F1} s");
        output.WriteLine($"receiver: {received} calls taken for {Orders + queued} updates, {duplicates} repeats dropped by sequence ({late} of an older sequence than the newest seen)");
    }

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(10);

    // Waits for the nodes to deliver every queued update; a dead node's claims pass to the other once its heartbeat stops (10 s).
    private static Task<long> WaitDeliveredAsync(TwoNodes nodes, string what) => Eventually.WaitAsync(
        () => nodes.Db.CountOrMinusOne("SELECT COUNT(*) FROM operator_updates WHERE delivered_at IS NULL"),
        n => n == 0,
        TimeSpan.FromSeconds(90),
        what + " delivered");

    private Task<ComplaintReceipt> SubmitAsync(TwoNodes nodes, SubmitComplaintRequest request, int node) =>
        CallAsync(nodes, node, c => c.SubmitComplaintAsync(request, deadline: Deadline()).ResponseAsync);

    /// <summary>As an operator's client behind a load balancer: a call that failed on one node goes to the other (bounded).</summary>
    private async Task<T> CallAsync<T>(TwoNodes nodes, int node, Func<ComplaintExchange.ComplaintExchangeClient, Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(nodes.Client(node));
            }
            catch (RpcException ex) when (TwoNodes.IsNodeFailure(ex) && attempt < 20)
            {
                _failures.AddOrUpdate(ex.StatusCode, 1, (_, n) => n + 1);
                node = 1 - node;
                if (attempt % 2 == 0)
                {
                    // Both nodes failed in a row: a client's backoff before the next round.
                    await Task.Delay(100 * attempt);
                }
            }
        }
    }
}
