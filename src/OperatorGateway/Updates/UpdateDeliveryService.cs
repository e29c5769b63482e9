using Grpc.Core;
using Grpc.Net.ClientFactory;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using TicketGateway.OperatorGateway.Grpc;
using TicketGateway.OperatorGateway.Operators;
using TicketGateway.Protos.Operator.V1;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Delivery;
using TicketGateway.Tickets.Duty;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Updates;

/// <summary>
/// Delivers the outbox to the operators: per complaint in sequence order (only the oldest
/// undelivered update of a complaint is tried), complaints in parallel, at least once (a row is
/// marked delivered only after the operator's OK, so a crash in between sends it again). A failed
/// attempt is retried after an exponential backoff kept in the row, so retries survive restarts.
/// </summary>
internal sealed class UpdateDeliveryService(
    TicketDatabase database,
    OperatorDirectory directory,
    GrpcClientFactory clients,
    OperatorCircuits circuits,
    AlertStore alerts,
    TicketService tickets,
    OutboxSignal signal,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<UpdateDeliveryService> logger) : BackgroundService
{
    private readonly DeliveryOptions _options = options.Value;
    private readonly BackoffPolicy _backoff = options.Value.RetryBackoff();

    // Heads whose claim failed for this node (it may have committed, its answer lost with the store).
    private readonly UncertainClaims _uncertain = new(UpdateOutbox.Deliveries, database);

    /// <summary>How long a node holds an update it is delivering (longer than any attempt's deadline).</summary>
    private static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not a PeriodicTimer: the worker must also wake at once when a complaint is accepted, and run
        // again without waiting while there is more to deliver.
        while (!stoppingToken.IsCancellationRequested)
        {
            var delivered = false;
            try
            {
                // Claims possibly committed though they failed for us: their heads wait again at once, not for ClaimLease.
                await _uncertain.ReleaseAsync(stoppingToken);
                var results = await Task.WhenAll(directory.All.Select(op => DeliverDueAsync(op, stoppingToken)));
                delivered = results.Any(r => r);
                await RaiseOverdueAlertsAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.DeliveryPassFailed(logger, ex);
            }

            if (!delivered)
            {
                await signal.WaitAsync(_options.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>Tries every due update of one operator; true when at least one was delivered (its successor may now be due).</summary>
    private async Task<bool> DeliverDueAsync(OperatorOptions op, CancellationToken cancellationToken)
    {
        IReadOnlyList<QueuedUpdate> due = database.Read(c => UpdateOutbox.DueHeads(c, op.Id, time.GetUtcNow(), _options.MaxConcurrent * 8));
        if (due.Count > 0 && database.Dialect.SharedByNodes)
        {
            // Several nodes: each head is claimed by one node for ClaimLease (or until that node stops
            // beating), so no two nodes send it at once and its successor waits for its outcome.
            var claimedAt = time.GetUtcNow();
            var heads = due;
            due = await _uncertain.ClaimAsync([.. heads.Select(u => u.Id)], (c, tx) => heads.Where(u => UpdateOutbox.Deliveries.Claim(c, tx, u.Id, claimedAt, claimedAt + ClaimLease)).ToList(), cancellationToken);
        }

        if (due.Count == 0)
        {
            return false;
        }

        var client = clients.CreateClient<ComplaintResultReceiver.ComplaintResultReceiverClient>(op.Id);
        var outcomes = new (QueuedUpdate Update, Exception? Error)[due.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, due.Count),
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrent, CancellationToken = cancellationToken },
            async (i, token) => outcomes[i] = (due[i], await TryDeliverAsync(op, client, due[i], token)));

        // One commit records the whole pass. A crash before it only means these are sent again:
        // at least once, and the operator drops sequences it already holds.
        var now = time.GetUtcNow();
        var failures = outcomes.Where(o => o.Error is not null)
            .Select(o => (o.Update, Attempts: o.Update.Attempts + 1, Reason: Describe(o.Error!), o.Error))
            .Select(f => (f.Update, f.Attempts, f.Reason, f.Error, Wait: _backoff.Delay(f.Attempts)))
            .ToList();
        await database.WriteAsync((c, tx) =>
        {
            foreach (var (update, error) in outcomes.Where(o => o.Error is null))
            {
                UpdateOutbox.Deliveries.MarkDelivered(c, tx, update.Id, now);
                if (update.Kind == UpdateKind.Accepted)
                {
                    // For an operator complaint the first reply is the acceptance reaching the operator
                    // (issue 6: the timely-reply indicators count from here).
                    tickets.RecordFirstReply(c, tx, update.TicketId, now, "operator-delivery", $"accepted update {update.Sequence} reached operator {op.Id}", keepStatus: true);
                }
            }

            foreach (var f in failures)
            {
                UpdateOutbox.Deliveries.MarkFailed(c, tx, f.Update.Id, f.Reason, now + f.Wait);
            }

            return true;
        }, cancellationToken);
        foreach (var f in failures)
        {
            if (f.Error is RpcException rpc && !OperatorCircuits.IsTransient(rpc.StatusCode))
            {
                // The operator refuses this update; retrying keeps it at least once, the alert brings a person.
                Log.UpdateRefused(logger, op.Id, f.Update.OrderId, f.Update.Sequence, op.CallbackAddress, f.Attempts, f.Reason, f.Wait);
            }
            else
            {
                Log.UpdateNotDelivered(logger, op.Id, f.Update.OrderId, f.Update.Sequence, op.CallbackAddress, f.Attempts, f.Reason, f.Wait);
            }
        }

        return failures.Count < outcomes.Length;
    }

    /// <summary>One attempt; null when the operator acknowledged the update, else why not.</summary>
    private async Task<Exception?> TryDeliverAsync(OperatorOptions op, ComplaintResultReceiver.ComplaintResultReceiverClient client, QueuedUpdate update, CancellationToken cancellationToken)
    {
        try
        {
            await circuits.For(op.Id).ExecuteAsync(
                async token => await client.ReceiveUpdateAsync(ProtoMapping.ToProto(update), cancellationToken: token),
                cancellationToken);
            Log.UpdateDelivered(logger, op.Id, update.OrderId, update.Sequence, Names.Of(update.Kind));
            return null;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is RpcException or BrokenCircuitException or HttpRequestException or TimeoutException)
        {
            return ex;
        }
    }

    private async Task RaiseOverdueAlertsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var overdue = database.Read(c => UpdateOutbox.Overdue(c, now - _options.UndeliveredAlertAfter));
        foreach (var u in overdue)
        {
            await database.WriteAsync((c, tx) =>
            {
                if (UpdateOutbox.Deliveries.MarkAlerted(c, tx, u.Id, now))
                {
                    var detail = $"update {u.Sequence} of order {u.OrderId} to operator {u.OperatorId}, queued at {u.QueuedAt:O}, is still undelivered after {u.Attempts} attempts (longer than {_options.UndeliveredAlertAfter}); last error: {u.LastError ?? "none"}";
                    // Once per update: the update is the alert's cause (and alerted_at keeps the scan short).
                    alerts.Raise(c, tx, u.TicketId, AlertKinds.UndeliveredUpdate, u.QueuedAt, "update:" + u.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        $"【投递失败 undelivered update】{TicketReference.Format(u.TicketId)}: {detail}");
                    Log.OperatorAlert(logger, AlertKinds.UndeliveredUpdate, u.OperatorId, TicketReference.Format(u.TicketId), detail);
                }

                return true;
            }, cancellationToken);
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        // grpc-dotnet's detail ("Error connecting to subchannel.") hides the cause, e.g. "Connection refused".
        RpcException { Status.DebugException: { } cause } rpc => $"{rpc.StatusCode}: {rpc.Status.Detail} ({cause.Message})",
        RpcException rpc => $"{rpc.StatusCode}: {rpc.Status.Detail}",
        BrokenCircuitException => "circuit open: the operator failed too often recently",
        _ => ex.GetType().Name + ": " + ex.Message,
    };
}
