namespace TicketGateway.Tickets.Delivery;

/// <summary>
/// Where a durable delivery queue keeps its state: the table and the names of its columns, which
/// differ between the queues that predate <see cref="DeliveryQueue"/> (the schema stays as it is).
/// </summary>
public sealed record DeliveryTable
{
    /// <summary>The table.</summary>
    public required string Table { get; init; }

    /// <summary>The key column.</summary>
    public string Id { get; init; } = "id";

    /// <summary>Attempts made so far.</summary>
    public required string Attempts { get; init; }

    /// <summary>True when <see cref="Attempts"/> counts failed attempts only (a delivery does not add one).</summary>
    public bool CountsFailuresOnly { get; init; }

    /// <summary>When the next attempt is due (Unix milliseconds).</summary>
    public required string NextAttemptAt { get; init; }

    /// <summary>True when a row that never failed has no next attempt time (due at once).</summary>
    public bool NextAttemptNullable { get; init; }

    /// <summary>Why the last attempt failed.</summary>
    public required string LastError { get; init; }

    /// <summary>When it was delivered.</summary>
    public required string DeliveredAt { get; init; }

    /// <summary>The state column, or null when a row is pending exactly while <see cref="DeliveredAt"/> is null.</summary>
    public string? State { get; init; }

    /// <summary>The state of a row waiting for an attempt.</summary>
    public string Pending { get; init; } = "queued";

    /// <summary>
    /// The state of a row claimed by a worker for an attempt, committed before the attempt; null when
    /// rows are not claimed (the attempt is then counted with its outcome).
    /// </summary>
    public string? Claimed { get; init; }

    /// <summary>The state of a delivered row.</summary>
    public string Delivered { get; init; } = "sent";

    /// <summary>The state of a row given up for good.</summary>
    public string Failed { get; init; } = "failed";

    /// <summary>When the last attempt started, or null when not kept.</summary>
    public string? LastAttemptAt { get; init; }

    /// <summary>For the stuck-after alert: when the row was queued, or null when the queue has no such alert.</summary>
    public string? QueuedAt { get; init; }

    /// <summary>For the stuck-after alert: when the person on duty was alerted about the row.</summary>
    public string? AlertedAt { get; init; }

    /// <summary>
    /// The column naming the node that holds a row for an attempt (several nodes on one database);
    /// null for a table without leases.
    /// </summary>
    public string? ClaimedBy { get; init; }

    /// <summary>
    /// The column with the instant the holder's lease on the row ends (Unix ms): until then no other
    /// node attempts it, afterwards any node may (the holder died or hangs).
    /// </summary>
    public string? ClaimedUntil { get; init; }
}
