using Grpc.Core;
using Grpc.Net.Client;
using TicketGateway.Protos.Operator.V1;

namespace TicketGateway.OperatorGateway.Tests.Support;

/// <summary>
/// Two real <c>ticketgw serve</c> processes, each in its own folder, on one PostgreSQL database (several
/// nodes need a shared store: SQLite serves one process only), both with the operators of
/// <see cref="Exchange.Settings"/> calling back to one receiver. A node can be killed (<c>kill -9</c>) and
/// started again; it then listens on a new port, so callers ask for the node's client at each call.
/// </summary>
internal sealed class TwoNodes : IAsyncDisposable
{
    private readonly TempDir[] _dirs = [new(), new()];
    private readonly Dictionary<string, string> _environment;
    private readonly (GatewayProcess? Process, GrpcChannel? Channel)[] _nodes = new (GatewayProcess?, GrpcChannel?)[2];
    private readonly Lock _gate = new();

    private TwoNodes(TestDatabase db, Dictionary<string, string> environment)
    {
        Db = db;
        _environment = environment;
    }

    public TestDatabase Db { get; }

    /// <summary>Starts both nodes on a new database; <paramref name="callback"/> is the operator receiver's address.</summary>
    public static async Task<TwoNodes> StartAsync(string callback)
    {
        var db = TestDatabase.Create(StoreKind.Postgres, "");
        var environment = new Dictionary<string, string>(db.Environment);
        // A storm of one operator: its calls are not to be rate-limited here (the default is 50/s per node).
        foreach (var (k, v) in Exchange.Settings(callback, ("OperatorGateway__RateLimitPerSecond", "1000000"), ("OperatorGateway__RateLimitBurst", "1000000")))
        {
            environment[k] = v;
        }

        var nodes = new TwoNodes(db, environment);
        try
        {
            // One after the other: both applying the schema at once is another test's subject.
            await nodes.StartAsync(0);
            await nodes.StartAsync(1);
            return nodes;
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
    }

    /// <summary>Operator A's client on node <paramref name="node"/> as it runs now (a dead node's calls fail UNAVAILABLE).</summary>
    public ComplaintExchange.ComplaintExchangeClient Client(int node)
    {
        lock (_gate)
        {
            return Exchange.Client(_nodes[node].Channel ?? throw new InvalidOperationException($"Node {node} was never started."), Exchange.KeyA);
        }
    }

    /// <summary>A CLI command (an agent at the desk) on the nodes' database, which must succeed.</summary>
    public async Task CliAsync(params string[] args)
    {
        var r = await GatewayProcess.RunCliBareAsync(_dirs[0].Path, _environment, args);
        Assert.True(r.ExitCode == 0, $"ticketgw {string.Join(' ', args)} exited {r.ExitCode}: {r.Stderr}");
    }

    public string Log(int node)
    {
        lock (_gate)
        {
            return _nodes[node].Process?.Log ?? "";
        }
    }

    public async Task StartAsync(int node)
    {
        var process = await GatewayProcess.StartAsync(_dirs[node].Path, _environment);
        var channel = GrpcChannel.ForAddress(process.Url);
        (GatewayProcess? Process, GrpcChannel? Channel) old;
        lock (_gate)
        {
            old = _nodes[node];
            _nodes[node] = (process, channel);
        }

        await DisposeAsync(old);
    }

    /// <summary>SIGKILL; the node's channel stays, so its calls fail as a load balancer's would until it is back.</summary>
    public Task KillAsync(int node)
    {
        lock (_gate)
        {
            return _nodes[node].Process!.KillAsync();
        }
    }

    /// <summary>Stops the node as an operations engineer would (its process ends, its database sessions close).</summary>
    public async Task StopAsync(int node)
    {
        (GatewayProcess? Process, GrpcChannel? Channel) old;
        lock (_gate)
        {
            old = _nodes[node];
            _nodes[node] = default;
        }

        await DisposeAsync(old);
    }

    /// <summary>Whether <paramref name="ex"/> is what a caller sees from a node that died or cannot be reached (retry elsewhere).</summary>
    public static bool IsNodeFailure(RpcException ex) =>
        ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown or StatusCode.Cancelled;

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await DisposeAsync(node);
        }

        foreach (var dir in _dirs)
        {
            dir.Dispose();
        }

        TestDatabase.ClearPools();
    }

    private static async Task DisposeAsync((GatewayProcess? Process, GrpcChannel? Channel) node)
    {
        node.Channel?.Dispose();
        if (node.Process is not null)
        {
            await node.Process.DisposeAsync();
        }
    }
}
