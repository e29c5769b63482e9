namespace TicketGateway.Tickets;

/// <summary>Where a ticket stands. Resolved and closed tickets may be reopened.</summary>
public enum TicketStatus
{
    /// <summary>Accepted, nobody has acted on it yet.</summary>
    New,

    /// <summary>Being worked on.</summary>
    Open,

    /// <summary>Waiting on the customer.</summary>
    Pending,

    /// <summary>Answered and resolved; the resolution clock has stopped.</summary>
    Resolved,

    /// <summary>Finished; no further work expected.</summary>
    Closed,
}
