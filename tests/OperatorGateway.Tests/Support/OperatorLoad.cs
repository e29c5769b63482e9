using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using TicketGateway.Protos.Operator.V1;

namespace TicketGateway.OperatorGateway.Tests.Support;

/// <summary>
/// An operator's system submitting complaints without pause over several gateway nodes, round robin: each
/// new complaint gets its own order_id; a call that fails (UNAVAILABLE, a lost connection, any status) is
/// sent again later with the same order_id and the same content, as a real operator's retry does. Every
/// call's outcome is recorded with the time it ended.
/// </summary>
internal sealed class OperatorLoad : IAsyncDisposable
{
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(300);

    private readonly ComplaintExchange.ComplaintExchangeClient[] _clients;
    private readonly GrpcChannel[] _channels;
    private readonly ConcurrentQueue<SubmitComplaintRequest> _retries = new();
    private readonly ConcurrentQueue<Call> _calls = new();
    private readonly ConcurrentDictionary<string, byte> _ok = new();
    private readonly ConcurrentDictionary<string, byte> _sent = new();
    private readonly Stopwatch _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private volatile bool _newOrders = true;
    private int _next;
    private int _turn;

    public OperatorLoad(IEnumerable<string> nodeUrls, Stopwatch clock, int workers = 4)
    {
        _clock = clock;
        _channels = [.. nodeUrls.Select(u => GrpcChannel.ForAddress(u))];
        _clients = [.. _channels.Select(c => Exchange.Client(c, Exchange.KeyA))];
        for (var i = 0; i < workers; i++)
        {
            _workers.Add(Task.Run(WorkAsync));
        }
    }

    /// <summary>One call: its order_id, the node it went to, its status (OK or the failure), and when it started and ended on the test's clock.</summary>
    internal sealed record Call(string OrderId, int Node, StatusCode Status, TimeSpan StartedAt, TimeSpan EndedAt);

    public IReadOnlyList<Call> Calls => [.. _calls];

    /// <summary>The order_ids that got an OK at least once.</summary>
    public IReadOnlyCollection<string> Ok => [.. _ok.Keys];

    /// <summary>Every order_id sent at least once.</summary>
    public IReadOnlyCollection<string> Sent => [.. _sent.Keys];

    public int Pending => _sent.Count - _ok.Count;

    /// <summary>Stops starting new complaints; the ones that failed are still retried until each got its OK.</summary>
    public void StopNewOrders() => _newOrders = false;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        _stop.Dispose();
    }

    private async Task WorkAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            if (!_retries.TryDequeue(out var request))
            {
                if (!_newOrders)
                {
                    await Pause(TimeSpan.FromMilliseconds(50));
                    continue;
                }

                var n = Interlocked.Increment(ref _next);
                request = Exchange.Complaint($"PGR-{n:D5}", $"139{n:D8}");
                _sent[request.OrderId] = 0;
            }

            var node = (int)((uint)Interlocked.Increment(ref _turn) % (uint)_clients.Length);
            var startedAt = _clock.Elapsed;
            StatusCode status;
            try
            {
                await _clients[node].SubmitComplaintAsync(request, deadline: DateTime.UtcNow + CallDeadline, cancellationToken: _stop.Token);
                status = StatusCode.OK;
                _ok[request.OrderId] = 0;
            }
            catch (RpcException ex) when (!_stop.IsCancellationRequested)
            {
                status = ex.StatusCode;
            }
            catch (RpcException) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _calls.Enqueue(new Call(request.OrderId, node, status, startedAt, _clock.Elapsed));
            if (status != StatusCode.OK)
            {
                _retries.Enqueue(request);
                await Pause(RetryPause);
            }
        }
    }

    private async Task Pause(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
