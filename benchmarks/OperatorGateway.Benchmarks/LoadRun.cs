using System.Diagnostics;
using System.Globalization;
using System.Net;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TicketGateway.Protos.Operator.V1;

namespace TicketGateway.OperatorGateway.Benchmarks;

/// <summary>
/// Measures SubmitComplaint (a durable commit each) against Ping (authenticated, rate-limited, no
/// storage) on the same gateway in the same run: closed loop at a fixed concurrency for throughput,
/// then open loop at a fixed rate for latency.
/// </summary>
internal static class LoadRun
{
    private static long s_order;
    private static long s_accepted;
    private static int[] s_gatewayPids = [];

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Arguments(args);
        // Several --url: one gateway node each, the calls spread round-robin over channels to all of them.
        var urls = options.All("url");
        var key = options.Required("key");
        var seconds = options.Number("seconds", 10);
        var concurrency = options.Number("concurrency", 64);
        var rate = options.Number("rate", 1000);
        var warmup = TimeSpan.FromSeconds(options.Number("warmup", 8));
        var receiverPort = int.Parse(options.Required("receiver-port"), CultureInfo.InvariantCulture);
        // "all": Ping and SubmitComplaint, closed and open loop; "submit": SubmitComplaint closed loop only.
        var phases = options.Text("phases", "all");
        s_gatewayPids = [.. options.All("gateway-pid").Select(p => int.Parse(p, CultureInfo.InvariantCulture))];
        if (urls.Count == 0 || phases is not ("all" or "submit"))
        {
            throw new ArgumentException("--url is required (one per node) and --phases is all or submit.");
        }

        await using var receiver = await StartReceiverAsync(receiverPort);
        // Four HTTP/2 connections in all, whatever the number of nodes, so the client side stays the same.
        var channels = Enumerable.Range(0, Math.Max(4, urls.Count)).Select(i => GrpcChannel.ForAddress(urls[i % urls.Count])).ToArray();
        var clients = channels.Select(c => new ComplaintExchange.ComplaintExchangeClient(c.Intercept(m =>
        {
            m.Add("authorization", "Bearer " + key);
            return m;
        }))).ToArray();
        var run = $"{DateTime.UtcNow:HHmmss}-{Environment.ProcessId}";
        Func<int, Task> ping = i => clients[i % clients.Length].PingAsync(new PingRequest()).ResponseAsync;
        Func<int, Task> submit = async i =>
        {
            await clients[i % clients.Length].SubmitComplaintAsync(Complaint(run));
            Interlocked.Increment(ref s_accepted);
        };

        // Warm up until the JIT's tiered recompilation of the hot paths is done; a gateway runs for weeks.
        if (phases == "all")
        {
            await ClosedLoopAsync(ping, concurrency, warmup / 2);
        }

        await ClosedLoopAsync(submit, concurrency, warmup);
        Console.WriteLine("| phase | calls | errors | calls/s | p50 ms | p99 ms | gateway CPU ms per call |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        if (phases == "all")
        {
            Print($"Ping, closed loop, {concurrency} in flight", await ClosedLoopAsync(ping, concurrency, TimeSpan.FromSeconds(seconds)));
        }

        Print($"SubmitComplaint, closed loop, {concurrency} in flight", await ClosedLoopAsync(submit, concurrency, TimeSpan.FromSeconds(seconds)));
        var drained = TimeSpan.Zero;
        if (phases == "all")
        {
            // The closed loop leaves tens of thousands of `accepted` updates still to be delivered; the open loop
            // measures latency at a steady rate, not while the gateway catches up with that backlog.
            drained = await DrainAsync(TimeSpan.FromMinutes(3));
            Print($"Ping, open loop, {rate}/s", await OpenLoopAsync(ping, rate, TimeSpan.FromSeconds(seconds)));
            Print($"SubmitComplaint, open loop, {rate}/s", await OpenLoopAsync(submit, rate, TimeSpan.FromSeconds(seconds)));
        }

        if (phases == "all")
        {
            Console.WriteLine($"before the open loops: waited {drained.TotalSeconds:F1} s until the operator had received an update for every accepted complaint");
        }

        Console.WriteLine($"updates the operator received during the run: {Volatile.Read(ref ReceiverService.Received)}");
        // Each accepted complaint is one ticket: a caller can compare this with the store.
        Console.WriteLine($"SubmitComplaint accepted in total, warm-up included: {Volatile.Read(ref s_accepted)}");
        foreach (var c in channels)
        {
            c.Dispose();
        }

        return 0;
    }

    // A different subscriber per complaint, as in production; one subscriber filing thousands of the
    // same complaint would make nearly every one a repeat complaint (see BENCHMARKS.md).
    private static SubmitComplaintRequest Complaint(string run) => Complaint(run, Interlocked.Increment(ref s_order));

    private static SubmitComplaintRequest Complaint(string run, long n) => new()
    {
        OrderId = $"BENCH-{run}-{n}",
        Msisdn = "139" + (n % 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture),
        Category = ComplaintCategory.FeeDispute,
        ServiceCode = "SP-MUSIC-01",
        Title = "未订购却被扣费 10 元",
        Content = "用户称从未订购音乐包，本月被扣 10 元，要求退费并道歉。",
        ReceivedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-1)),
    };

    // Waits (at most `limit`) until the operator's receiver holds at least one update per complaint accepted so far.
    private static async Task<TimeSpan> DrainAsync(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (Volatile.Read(ref ReceiverService.Received) < Volatile.Read(ref s_accepted) && clock.Elapsed < limit)
        {
            await Task.Delay(100);
        }

        return clock.Elapsed;
    }

    private static async Task<Result> ClosedLoopAsync(Func<int, Task> call, int concurrency, TimeSpan duration)
    {
        var latencies = new List<double>[concurrency];
        var errors = 0;
        var cpu = GatewayCpuMs();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var mine = latencies[worker] = [];
            while (clock.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await call(worker);
                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        return new Result(latencies.SelectMany(l => l).ToList(), errors, clock.Elapsed, GatewayCpuMs() - cpu);
    }

    // Latency counts from the moment a call was due, so a stalled server cannot hide its backlog
    // (no coordinated omission).
    private static async Task<Result> OpenLoopAsync(Func<int, Task> call, int rate, TimeSpan duration)
    {
        var latencies = new List<double>();
        var errors = 0;
        var pending = new List<Task>();
        var cpu = GatewayCpuMs();
        var clock = Stopwatch.StartNew();
        var total = (int)(rate * duration.TotalSeconds);
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var dueTicks = due;
            var n = i;
            pending.Add(Task.Run(async () =>
            {
                try
                {
                    await call(n);
                    var latency = (clock.Elapsed - dueTicks).TotalMilliseconds;
                    lock (latencies)
                    {
                        latencies.Add(latency);
                    }
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref errors);
                }
            }));
        }

        await Task.WhenAll(pending);
        return new Result(latencies, errors, clock.Elapsed, GatewayCpuMs() - cpu);
    }

    private static void Print(string phase, Result r)
    {
        r.Latencies.Sort();
        double P(double q) => r.Latencies.Count == 0 ? double.NaN : r.Latencies[Math.Min(r.Latencies.Count - 1, (int)(q * r.Latencies.Count))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {phase} | {r.Latencies.Count} | {r.Errors} | {r.Latencies.Count / r.Elapsed.TotalSeconds:0} | {P(0.50):0.00} | {P(0.99):0.00} | {(r.Latencies.Count == 0 ? 0 : r.CpuMs / r.Latencies.Count):0.000} |"));
    }

    private static async Task<WebApplication> StartReceiverAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Only this code configures it: the gateway's appsettings.json sits in the same folder, and its
        // Kestrel endpoint (127.0.0.1:5080) would otherwise be bound too, clashing between parallel tests.
        builder.Configuration.Sources.Clear();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<ReceiverService>();
        await app.StartAsync();
        return app;
    }

    // User + system CPU of the gateway processes (and the delivery work they do for these calls), from /proc.
    private static double GatewayCpuMs() => s_gatewayPids.Sum(pid =>
    {
        if (!File.Exists($"/proc/{pid}/stat"))
        {
            return 0;
        }

        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14 and 15 of the man page (utime, stime) in clock ticks of 10 ms.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    });

    private sealed record Result(List<double> Latencies, int Errors, TimeSpan Elapsed, double CpuMs);

    private sealed class ReceiverService : ComplaintResultReceiver.ComplaintResultReceiverBase
    {
        public static long Received;

        public override Task<ReceiveUpdateAck> ReceiveUpdate(ComplaintUpdate request, ServerCallContext context)
        {
            Interlocked.Increment(ref Received);
            return Task.FromResult(new ReceiveUpdateAck());
        }
    }
}
