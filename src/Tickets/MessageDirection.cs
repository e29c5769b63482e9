namespace TicketGateway.Tickets;

/// <summary>Which way a message travelled.</summary>
public enum MessageDirection
{
    /// <summary>From the customer or the operator to support.</summary>
    Inbound,

    /// <summary>From support to the customer or the operator.</summary>
    Outbound,

    /// <summary>An internal note; never sent to anyone.</summary>
    Note,
}
