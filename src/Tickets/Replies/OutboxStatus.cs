namespace TicketGateway.Tickets.Replies;

/// <summary>Where an outgoing mail stands.</summary>
public enum OutboxStatus
{
    /// <summary>Waiting to be sent (again).</summary>
    Queued,

    /// <summary>Handed to the SMTP server; if the process dies now, it is sent again with the same Message-ID.</summary>
    Sending,

    /// <summary>Accepted by the SMTP server.</summary>
    Sent,

    /// <summary>Refused for good; visible in <c>outbox list</c> and alerted to the person on duty.</summary>
    Failed,
}
