using System.Data.Common;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Delivery;

/// <summary>
/// The one shape of a durable delivery queue (mail outbox, operator updates, alert webhook posts):
/// due rows are claimed, delivered, or failed with their next attempt stored (attempts,
/// next attempt, last error) so retries survive restarts; a row may be given up for good; rows
/// claimed by a process that crashed go back to the queue at start-up; a row stuck longer than
/// allowed is alerted about once. Every method runs in the caller's transaction, so the state
/// change commits with whatever goes with it (history, alerts, first reply).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is a queue (durable, in SQL); the name says what it is.")]
public sealed class DeliveryQueue
{
    private readonly DeliveryTable _t;
    private readonly string _claim;
    private readonly string _delivered;
    private readonly string _failed;
    private readonly string _failedOrGiveUp;
    private readonly string _postpone;
    private readonly string _giveUp;
    private readonly string _requeueInterrupted;
    private readonly string _retryNow;
    private readonly string _alerted;
    private readonly string _unclaim;

    /// <summary>Builds the statements of the queue kept in <paramref name="table"/>.</summary>
    public DeliveryQueue(DeliveryTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _t = table;
        var t = table;
        // Rows are counted once per attempt: at the claim when there is one, else with the outcome.
        var countOutcome = t.Claimed is null ? $"{t.Attempts} = {t.Attempts} + 1, " : "";
        var waiting = t.State is null ? $"{t.DeliveredAt} IS NULL" : $"{t.State} = '{t.Pending}'";
        var inFlight = t.State is null ? waiting
            : t.Claimed is null ? waiting
            : $"{t.State} IN ('{t.Pending}', '{t.Claimed}')";
        var backToQueue = t.State is null ? "" : $"{t.State} = '{t.Pending}', ";
        var leased = t.ClaimedUntil is not null;
        // A lease that ran out, or whose node stopped beating: the row may be taken over.
        var leaseOver = leased ? $"({t.ClaimedUntil} IS NULL OR {t.ClaimedUntil} <= @now OR {NodeHeartbeat.DeadHolder(t.ClaimedBy!)})" : "";
        // Every outcome ends the attempt's lease (when the table has leases).
        var release = leased ? $", {t.ClaimedBy} = NULL, {t.ClaimedUntil} = NULL" : "";
        Waiting = waiting;
        DueCondition = waiting + (t.NextAttemptNullable
            ? $" AND ({t.NextAttemptAt} IS NULL OR {t.NextAttemptAt} <= @now)"
            : $" AND {t.NextAttemptAt} <= @now")
            + (leased ? $" AND {leaseOver}" : "");

        var lease = leased ? $", {t.ClaimedBy} = @node, {t.ClaimedUntil} = @until" : "";
        // A claim this node made but never acted on: the row is waiting again, the attempt (counted at the
        // claim, where there is a claimed state) undone; without one, only the lease ends.
        _unclaim = !leased ? ""
            : t.Claimed is not null
                ? $"UPDATE {t.Table} SET {t.State} = '{t.Pending}', {t.Attempts} = {t.Attempts} - 1{release}"
                    + $" WHERE {t.Id} = @id AND {t.State} = '{t.Claimed}' AND {t.ClaimedBy} = @node"
                : $"UPDATE {t.Table} SET {release[2..]} WHERE {t.Id} = @id AND {t.ClaimedBy} = @node AND {waiting}";
        _claim = t.Claimed is not null
            ? $"UPDATE {t.Table} SET {t.State} = '{t.Claimed}', {t.Attempts} = {t.Attempts} + 1"
                + (t.LastAttemptAt is null ? "" : $", {t.LastAttemptAt} = @now")
                + lease
                + $" WHERE {t.Id} = @id AND {t.State} = '{t.Pending}'"
            : leased
                ? $"UPDATE {t.Table} SET {lease[2..]} WHERE {t.Id} = @id AND {DueCondition}"
                : "";
        _delivered = $"UPDATE {t.Table} SET "
            + (t.State is null ? "" : $"{t.State} = '{t.Delivered}', ")
            + (t.CountsFailuresOnly ? "" : countOutcome)
            + $"{t.DeliveredAt} = @at, {t.LastError} = NULL{release} WHERE {t.Id} = @id";
        _failed = $"UPDATE {t.Table} SET {backToQueue}{countOutcome}{t.NextAttemptAt} = @next, {t.LastError} = @error{release} WHERE {t.Id} = @id AND {inFlight}";
        _failedOrGiveUp = t.State is null ? "" :
            $"UPDATE {t.Table} SET {countOutcome}{t.NextAttemptAt} = @next, {t.LastError} = @error, "
            + $"{t.State} = CASE WHEN {t.Attempts}{(t.Claimed is null ? " + 1" : "")} >= @max THEN '{t.Failed}' ELSE '{t.Pending}' END"
            + $"{release} WHERE {t.Id} = @id AND {inFlight}";
        _postpone = $"UPDATE {t.Table} SET {t.NextAttemptAt} = @next, {t.LastError} = @error{release} WHERE {t.Id} = @id AND {waiting}";
        _giveUp = t.State is null ? "" : $"UPDATE {t.Table} SET {t.State} = '{t.Failed}', {t.LastError} = @error{release} WHERE {t.Id} = @id";
        // A claim whose lease ran out (or that has none: written before leases existed) was left by a
        // node that stopped mid-attempt.
        _requeueInterrupted = t.Claimed is null ? "" :
            $"UPDATE {t.Table} SET {t.State} = '{t.Pending}', {t.LastError} = @error{release} WHERE {t.State} = '{t.Claimed}'"
            + (leased ? $" AND {leaseOver}" : "");
        _retryNow = $"UPDATE {t.Table} SET {backToQueue}{t.NextAttemptAt} = @now WHERE {t.Id} = @id";
        _alerted = t.AlertedAt is null ? "" :
            $"UPDATE {t.Table} SET {t.AlertedAt} = @at WHERE {t.Id} = @id AND {t.AlertedAt} IS NULL AND {waiting}";
        StuckCondition = t.AlertedAt is null || t.QueuedAt is null ? "" : $"{waiting} AND {t.AlertedAt} IS NULL AND {t.QueuedAt} < @cutoff";
    }

    public DeliveryTable Table => _t;

    /// <summary>SQL condition of rows not yet delivered nor given up.</summary>
    public string Waiting { get; }

    /// <summary>SQL condition of rows due for an attempt at parameter <c>@now</c>.</summary>
    public string DueCondition { get; }

    /// <summary>SQL condition of waiting rows queued before parameter <c>@cutoff</c> that nobody was alerted about yet.</summary>
    public string StuckCondition { get; }

    /// <summary>
    /// Claims a waiting row for an attempt (counted now), committed before the attempt starts; on a
    /// table with leases this node holds it until <paramref name="until"/>, and no other node attempts
    /// it before then. False when it is no longer waiting (delivered, given up, or claimed meanwhile,
    /// by this node or another).
    /// </summary>
    public bool Claim(DbConnection connection, DbTransaction transaction, long id, DateTimeOffset now, DateTimeOffset until) =>
        CommandCache.Execute(connection, transaction, Need(_claim, "claims"), [.. ClaimParameters(id, now, until)]) == 1;

    /// <summary>
    /// Gives back a claim this node may hold but did not act on (its commit's answer was lost with the
    /// store): the row is waiting again at once instead of for the rest of the lease. False when the row is
    /// not claimed by this node (the claim never committed, or it was finished or taken over).
    /// </summary>
    public bool Unclaim(DbConnection connection, DbTransaction transaction, long id) =>
        CommandCache.Execute(connection, transaction, Need(_unclaim, "claims with a lease"), ("@id", id), ("@node", NodeIdentity.Id)) == 1;

    /// <summary>Records that the row was delivered at <paramref name="at"/>.</summary>
    public void MarkDelivered(DbConnection connection, DbTransaction transaction, long id, DateTimeOffset at) =>
        CommandCache.Execute(connection, transaction, _delivered, ("@id", id), ("@at", at.ToDb()));

    /// <summary>An attempt failed: the row waits for <paramref name="nextAttempt"/> (from <see cref="BackoffPolicy"/>), keeping why.</summary>
    public bool MarkFailed(DbConnection connection, DbTransaction transaction, long id, string error, DateTimeOffset nextAttempt) =>
        CommandCache.Execute(connection, transaction, _failed, ("@id", id), ("@next", nextAttempt.ToDb()), ("@error", Trim(error))) == 1;

    /// <summary>As <see cref="MarkFailed"/>, but gives the row up for good when this was attempt <paramref name="maxAttempts"/>.</summary>
    public bool MarkFailed(DbConnection connection, DbTransaction transaction, long id, string error, DateTimeOffset nextAttempt, int maxAttempts) =>
        CommandCache.Execute(connection, transaction, Need(_failedOrGiveUp, "gives up"),
            ("@id", id), ("@next", nextAttempt.ToDb()), ("@error", Trim(error)), ("@max", maxAttempts)) == 1;

    /// <summary>A waiting row could not even be attempted (the peer is unreachable): notes why and when the next attempt is, without counting one.</summary>
    public bool Postpone(DbConnection connection, DbTransaction transaction, long id, string error, DateTimeOffset nextAttempt) =>
        CommandCache.Execute(connection, transaction, _postpone, ("@id", id), ("@next", nextAttempt.ToDb()), ("@error", Trim(error))) == 1;

    /// <summary>Gives a row up for good, keeping why.</summary>
    public bool GiveUp(DbConnection connection, DbTransaction transaction, long id, string error) =>
        CommandCache.Execute(connection, transaction, Need(_giveUp, "gives up"), ("@id", id), ("@error", Trim(error))) == 1;

    /// <summary>
    /// Rows left claimed by a node that stopped mid-attempt go back to the queue, with
    /// <paramref name="note"/> as their last error: those whose lease ended before <paramref name="now"/>
    /// or whose node stopped beating (<see cref="NodeHeartbeat"/>)
    /// (<see cref="DateTimeOffset.MaxValue"/>: every claim, for a store only this process serves).
    /// </summary>
    /// <returns>How many rows were requeued.</returns>
    public int RequeueInterrupted(DbConnection connection, DbTransaction transaction, string note, DateTimeOffset now) =>
        connection.Execute(Need(_requeueInterrupted, "claims"), transaction, ("@error", Trim(note)), ("@now", now == DateTimeOffset.MaxValue ? long.MaxValue : now.ToDb()));

    /// <summary>Queues a row for an attempt at <paramref name="now"/> (an operator's explicit retry).</summary>
    public bool RetryNow(DbConnection connection, DbTransaction transaction, long id, DateTimeOffset now) =>
        connection.Execute(_retryNow, transaction, ("@id", id), ("@now", now.ToDb())) == 1;

    /// <summary>The stuck-after hook: marks a stuck row as alerted; false when it was alerted (or delivered) meanwhile.</summary>
    public bool MarkAlerted(DbConnection connection, DbTransaction transaction, long id, DateTimeOffset at) =>
        connection.Execute(Need(_alerted, "alerts about stuck rows"), transaction, ("@id", id), ("@at", at.ToDb())) == 1;

    /// <summary>Errors are kept to 1000 characters.</summary>
    public static string Trim(string error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Length > 1000 ? error[..1000] : error;
    }

    private IEnumerable<(string, object?)> ClaimParameters(long id, DateTimeOffset now, DateTimeOffset until)
    {
        yield return ("@id", id);
        yield return ("@now", now.ToDb());
        if (_t.ClaimedUntil is not null)
        {
            yield return ("@node", NodeIdentity.Id);
            yield return ("@until", until.ToDb());
        }
    }

    private string Need(string sql, string what) =>
        sql.Length > 0 ? sql : throw new InvalidOperationException($"The delivery queue {_t.Table} never {what}.");
}
